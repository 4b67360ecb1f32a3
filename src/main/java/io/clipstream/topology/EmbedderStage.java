package io.clipstream.topology;

import java.util.Locale;

/** A step an event goes through in the embedder, timed by {@link StageTimes}. */
public enum EmbedderStage {
    /** Fetching an image by URL: wall time, waiting for the server included (runs many at once). */
    FETCH,
    /** Decoding the encoded image to pixels (orientation, transparency). */
    DECODE,
    /** Resize, centre crop and normalise into the model's tensor. */
    PREPROCESS,
    /** The JPEG thumbnail of an image sent as bytes. */
    THUMBNAIL,
    /** Tokenising a caption. */
    TOKENIZE,
    /** ONNX Runtime calls of the image tower (wall time of the calls). */
    IMAGE_MODEL,
    /** ONNX Runtime calls of the text tower. */
    TEXT_MODEL;

    /** The metric tag and report name, e.g. {@code image_model}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
