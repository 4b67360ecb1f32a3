package io.clipstream.common;

import java.util.Objects;

/**
 * One zero-shot label of an image and its score: the cosine similarity between the image's vector
 * and the label's averaged prompt vector.
 */
public record Tag(String label, float score) {

    public Tag {
        Objects.requireNonNull(label, "label");
    }
}
