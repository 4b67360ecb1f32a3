package io.clipstream.encoders;

import java.util.Locale;

/** How a text model's output becomes one vector per text. */
public enum Pooling {
    /** The ONNX output already is the embedding, shape [batch, dim]. */
    OUTPUT,
    /** The state of the last attended token (CLIP's end-of-text token), from [batch, tokens, dim]. */
    EOS,
    /** The state of the first token, from [batch, tokens, dim]. */
    CLS,
    /** The mean over attended tokens, from [batch, tokens, dim]. */
    MEAN;

    public static Pooling parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pooling '" + value + "' is not one of output, eos, cls, mean", e);
        }
    }
}
