package io.clipstream.store;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The in-memory search structure beside a store's RocksDB. An exact scan ({@link ExactVectorIndex}) or an ANN graph
 * ({@link GraphVectorIndex}).
 *
 * <p>Scores are dot products of L2-normalised vectors (cosine similarity). Results are ordered by score, highest
 * first, ties broken by ascending id so that equal scores come back in the same order on every call and every
 * replica. Implementations need not be thread-safe: the owning store serialises writes against searches.
 */
public interface VectorIndex {

    /** Adds the item, or replaces its vector and fields if the id is already present. */
    void upsert(String id, float[] vector, Map<String, String> filterableFields);

    /** @return whether the id was present */
    boolean remove(String id);

    /**
     * One change from a batch: an upsert, or a removal when {@code vector} is null.
     *
     * @param fields the filterable fields (ignored for a removal)
     */
    record Change(String id, float[] vector, Map<String, String> fields) {
        public Change {
            Objects.requireNonNull(id, "id");
        }

        public static Change removal(String id) {
            return new Change(id, null, Map.of());
        }
    }

    /**
     * Applies the changes in order, as the same sequence of {@link #upsert} and {@link #remove} calls would. A graph
     * index inserts the batch's new nodes on several threads (restores and rebuilds go through here).
     */
    default void applyAll(List<Change> changes) {
        for (Change change : changes) {
            if (change.vector() == null) {
                remove(change.id());
            } else {
                upsert(change.id(), change.vector(), change.fields());
            }
        }
    }

    /**
     * @param query    a vector of {@link #dimension()} components
     * @param k        the most hits to return, at least 1
     * @param filter   which items may match
     * @param minScore hits scoring below this are left out ({@code Float.NEGATIVE_INFINITY} for no floor)
     */
    IndexSearchResult search(float[] query, int k, FieldFilter filter, float minScore);

    /**
     * The same search by exact scan, whatever the index's structure: for queries that must not miss (and to measure an
     * approximate index's recall against).
     */
    default IndexSearchResult searchExact(float[] query, int k, FieldFilter filter, float minScore) {
        return search(query, k, filter, minScore);
    }

    /** Releases what the index holds outside the Java heap or in thread pools; the index is unusable after. */
    default void close() {
    }

    /** How many items the index holds. */
    int size();

    int dimension();

    /** The memory one vector's index structures take (components, codes, edges); ids, fields and maps come on top. */
    default long bytesPerVector() {
        return (long) dimension() * Float.BYTES;
    }

    /** The argument check every implementation makes before an upsert. */
    static void checkUpsert(String id, float[] vector, Map<String, String> filterableFields, int dimension) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(filterableFields, "filterableFields");
        if (vector.length != dimension) {
            throw new IllegalArgumentException("vector for id '" + id + "' has " + vector.length
                    + " components; this index holds vectors of dimension " + dimension);
        }
    }
}
