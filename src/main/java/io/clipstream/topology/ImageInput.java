package io.clipstream.topology;

import io.clipstream.encoders.PreparedImage;

/**
 * An image ready for its batch: the model input, and the JPEG thumbnail made from the same decoded
 * pixels (null when the image came by URL, where the page links to the source instead).
 */
public record ImageInput(PreparedImage prepared, byte[] thumbnail) {
}
