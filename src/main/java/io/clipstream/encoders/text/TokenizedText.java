package io.clipstream.encoders.text;

/**
 * Token ids ready for the text model.
 *
 * @param truncated the text had more tokens than the model takes and was cut (the end token is kept)
 */
public record TokenizedText(long[] ids, boolean truncated) {
}
