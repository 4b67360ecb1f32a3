package io.clipstream.encoders;

/**
 * One text's unit vector.
 *
 * @param truncated the text was longer than the model's token limit and only its start was embedded
 * @param tokens    how many tokens (with start and end) were embedded
 */
public record TextEmbedding(float[] vector, boolean truncated, int tokens) {
}
