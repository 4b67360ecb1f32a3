package io.clipstream.topology;

import io.clipstream.common.EncodingException;

/**
 * What the model made of one batch's inputs, in their order: a vector, or the reason that input
 * alone could not be embedded (then its vector is null).
 */
record ModelResult(float[][] vectors, EncodingException[] failures) {

    static ModelResult allOf(float[][] vectors) {
        return new ModelResult(vectors, new EncodingException[vectors.length]);
    }

    int size() {
        return vectors.length;
    }
}
