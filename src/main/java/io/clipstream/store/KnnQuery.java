package io.clipstream.store;

import io.clipstream.index.VectorMath;
import org.apache.kafka.streams.query.Query;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An interactive (IQv2) query for the k nearest neighbours of a vector in one {@link VectorStore} partition:
 * {@code StateQueryRequest.inStore(name).withQuery(KnnQuery.of(vector, k))}. Each partition answers with its own
 * top k; merge them with {@link KnnResult#merge}.
 *
 * <p>Immutable; {@code with...} methods return a copy.
 */
public final class KnnQuery implements Query<KnnResult> {

    /** The largest k a query may ask for. */
    public static final int MAX_K = 1_000;

    private final float[] vector;
    private final int k;
    private final Map<String, String> filters;
    private final Float minScore;
    private final boolean exact;

    private KnnQuery(float[] vector, int k, Map<String, String> filters, Float minScore, boolean exact) {
        this.vector = vector;
        this.k = k;
        this.filters = filters;
        this.minScore = minScore;
        this.exact = exact;
    }

    /**
     * @param vector the L2-normalised query embedding, of the store's dimension (copied)
     * @param k      how many hits to return, 1 to {@value #MAX_K}
     */
    public static KnnQuery of(float[] vector, int k) {
        Objects.requireNonNull(vector, "vector");
        if (vector.length == 0) {
            throw new IllegalArgumentException("KNN query vector is empty: pass the query's embedding");
        }
        int nonFinite = VectorMath.firstNonFinite(vector);
        if (nonFinite >= 0) {
            throw new IllegalArgumentException("KNN query vector component " + nonFinite + " is "
                    + vector[nonFinite] + ": every component must be a finite number");
        }
        if (k < 1 || k > MAX_K) {
            throw new IllegalArgumentException("KNN query k is " + k + ": ask for between 1 and " + MAX_K + " hits");
        }
        return new KnnQuery(vector.clone(), k, Map.of(), null, false);
    }

    /**
     * Only items whose filterable fields (tenant, category, metadata) hold every given value match.
     */
    public KnnQuery withFilters(Map<String, String> filters) {
        Objects.requireNonNull(filters, "filters");
        filters.forEach((key, value) -> {
            if (key == null || value == null) {
                throw new IllegalArgumentException("KNN query filter " + key + "=" + value
                        + " has a null name or value: give each filter a field name and the exact value to match");
            }
        });
        return new KnnQuery(vector, k, Map.copyOf(filters), minScore, exact);
    }

    /** Hits scoring below {@code minScore} (a cosine similarity, -1 to 1) are left out. */
    public KnnQuery withMinScore(float minScore) {
        if (!Float.isFinite(minScore)) {
            throw new IllegalArgumentException("KNN query minScore is " + minScore + ": give a finite score");
        }
        return new KnnQuery(vector, k, filters, minScore, exact);
    }

    /**
     * Answer by exact scan even where the partition has an ANN graph: slower (every vector is scored) but never misses
     * a neighbour. For audits and recall measurements.
     */
    public KnnQuery exact() {
        return new KnnQuery(vector, k, filters, minScore, true);
    }

    /** Whether this query asks for the exact scan. */
    public boolean isExact() {
        return exact;
    }

    /** A copy of the query vector. */
    public float[] vector() {
        return vector.clone();
    }

    /** The query vector itself, for the store's scan; callers must not modify it. */
    float[] vectorUnsafe() {
        return vector;
    }

    public int k() {
        return k;
    }

    public Map<String, String> filters() {
        return filters;
    }

    public Optional<Float> minScore() {
        return Optional.ofNullable(minScore);
    }

    @Override
    public String toString() {
        return "KnnQuery{dimension=" + vector.length + ", k=" + k + ", filters=" + filters
                + ", minScore=" + minScore + ", exact=" + exact + ", vector=" + Arrays.toString(Arrays.copyOf(vector, Math.min(4, vector.length)))
                + (vector.length > 4 ? "..." : "") + "}";
    }
}
