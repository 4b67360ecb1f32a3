package io.clipstream.topology;

import io.clipstream.encoders.ClipModel;
import io.clipstream.encoders.image.Thumbnails;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.awt.image.BufferedImage;

/**
 * How the embedder turns an encoded image into model input, each step timed in {@link StageTimes}:
 * decode, preprocess (resize, crop, normalise) and, for an image sent as bytes, its JPEG
 * thumbnail from the same decoded pixels. Stateless and thread-safe: the preparation pool runs it
 * on many images at once (and {@code bench ingest} times it alone).
 */
public final class ImagePreparation {

    private static final Logger LOG = LoggerFactory.getLogger(ImagePreparation.class);

    private final ClipModel model;
    private final StageTimes times;

    public ImagePreparation(ClipModel model, StageTimes times) {
        this.model = model;
        this.times = times;
    }

    /** An image sent as bytes: model input and thumbnail. */
    public ImageInput inline(String key, byte[] image) {
        BufferedImage decoded = times.time(EmbedderStage.DECODE, () -> model.image().decode(image, key));
        return new ImageInput(times.time(EmbedderStage.PREPROCESS, () -> model.image().prepare(decoded)),
                times.time(EmbedderStage.THUMBNAIL, () -> thumbnail(key, decoded)));
    }

    /** An image fetched from its URL: model input only (the page links to the source instead of a thumbnail). */
    public ImageInput fetched(String key, byte[] image) {
        BufferedImage decoded = times.time(EmbedderStage.DECODE, () -> model.image().decode(image, key));
        return new ImageInput(times.time(EmbedderStage.PREPROCESS, () -> model.image().prepare(decoded)), null);
    }

    /** A missing thumbnail only costs the page its preview, so it never keeps the image out of the index. */
    private static byte[] thumbnail(String key, BufferedImage decoded) {
        try {
            return Thumbnails.jpeg(decoded);
        } catch (RuntimeException e) {
            LOG.warn("{}: no thumbnail ({}); the image is indexed without one", key, BatchingEmbedProcessor.describe(e));
            return null;
        }
    }
}
