package io.clipstream.index;

import java.util.Objects;

/**
 * One write to a partition: an item's vector (an upsert) or its removal ({@code vector} null), with the changelog
 * offset of the record it came from (-1 when unknown, as for vectors read back from local state) and the record's
 * timestamp.
 */
public record IndexChange(String id, IndexedVector vector, long offset, long timestampMs) {

    public IndexChange {
        Objects.requireNonNull(id, "id");
        if (vector != null && !vector.id().equals(id)) {
            throw new IllegalArgumentException("change for id '" + id + "' carries the vector of '" + vector.id() + "'");
        }
    }

    public static IndexChange upsert(IndexedVector vector, long offset, long timestampMs) {
        return new IndexChange(vector.id(), vector, offset, timestampMs);
    }

    public static IndexChange removal(String id, long offset, long timestampMs) {
        return new IndexChange(id, null, offset, timestampMs);
    }
}
