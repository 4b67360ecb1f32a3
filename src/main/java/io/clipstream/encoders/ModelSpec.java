package io.clipstream.encoders;

import java.nio.file.Path;

/**
 * A dual encoder as found on disk.
 *
 * @param id        the model id stamped on every vector; the index refuses vectors of another id
 * @param dimension the embedding size both towers produce
 * @param layout    which on-disk layout it was read from
 */
public record ModelSpec(String id, int dimension, TextModelSpec text, ImageModelSpec image, Path directory,
                        Layout layout) {

    public enum Layout { CLIPSTREAM_MANIFEST, HUGGING_FACE }

    public ModelSpec {
        if (dimension <= 0) {
            throw new IllegalArgumentException("model dimension must be positive, got " + dimension);
        }
    }
}
