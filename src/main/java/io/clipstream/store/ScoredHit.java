package io.clipstream.store;

import io.clipstream.schema.Modality;
import io.clipstream.common.Tag;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One search hit: the item, its score (dot product of normalised vectors) and what a caller shows for it, including
 * its zero-shot labels (best first; empty for captions or when tagging is off).
 */
public record ScoredHit(String id, Modality modality, float score, Map<String, String> metadata, String text,
                        List<Tag> labels) {

    /** Highest score first; equal scores by ascending id, the order every index and merge uses. */
    public static final Comparator<ScoredHit> BEST_FIRST = (a, b) -> {
        int byScore = Float.compare(b.score, a.score);
        return byScore != 0 ? byScore : a.id.compareTo(b.id);
    };

    public ScoredHit {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(modality, "modality");
        metadata = Map.copyOf(metadata);
        labels = List.copyOf(labels);
    }

    public ScoredHit(String id, Modality modality, float score, Map<String, String> metadata, String text) {
        this(id, modality, score, metadata, text, List.of());
    }
}
