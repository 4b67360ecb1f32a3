package io.clipstream.index;

import io.clipstream.schema.Modality;
import io.clipstream.common.Tag;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What a hit returns beside its id and score, kept with the vector so that a search reads nothing else. */
public record HitPayload(Modality modality, Map<String, String> metadata, String text, List<Tag> labels) {

    public HitPayload {
        Objects.requireNonNull(modality, "modality");
        metadata = Map.copyOf(metadata);
        labels = List.copyOf(labels);
    }

    public static HitPayload of(IndexedVector vector) {
        return new HitPayload(vector.modality(), vector.metadata(), vector.text(), vector.labels());
    }
}
