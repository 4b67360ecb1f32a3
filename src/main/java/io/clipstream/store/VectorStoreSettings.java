package io.clipstream.store;

/**
 * The fixed shape of one {@link VectorStore}: every vector it indexes has {@code dimension} components, and the
 * in-memory index starts with room for {@code initialCapacity} vectors (it grows by doubling and shrinks when
 * mostly empty, so the capacity is a starting point, not a limit).
 *
 * @param dimension       the embedding dimension of the model that feeds the store's topic; vectors of any other
 *                        length are rejected
 * @param initialCapacity how many vectors the index allocates room for up front ({@code dimension * 4} bytes each)
 * @param ann             the graph index's parameters; null selects the exact scan only (no graph)
 */
public record VectorStoreSettings(int dimension, int initialCapacity, AnnSettings ann) {

    /** Room for 1,024 vectors up front: 2 MiB at dimension 512. */
    public static final int DEFAULT_INITIAL_CAPACITY = 1_024;

    /** Graph index with {@link AnnSettings#DEFAULTS}. */
    public VectorStoreSettings(int dimension, int initialCapacity) {
        this(dimension, initialCapacity, AnnSettings.DEFAULTS);
    }

    public VectorStoreSettings {
        if (dimension < 1) {
            throw new IllegalArgumentException("vector store dimension is " + dimension
                    + ": it must be the model's embedding dimension, at least 1");
        }
        if (initialCapacity < 1) {
            throw new IllegalArgumentException("vector store initialCapacity is " + initialCapacity
                    + ": it must be at least 1");
        }
        if ((long) dimension * initialCapacity > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("vector store initialCapacity " + initialCapacity + " at dimension "
                    + dimension + " does not fit in one float array: lower initialCapacity");
        }
    }

    /**
     * A fresh, empty index of the kind these settings select.
     *
     * @param fullPrecision the store's float32 vectors by id, read by FP16 and INT8 indexes to re-rank
     */
    VectorIndex newIndex(FullPrecisionSource fullPrecision) {
        return ann == null ? new ExactVectorIndex(this)
                : new GraphVectorIndex(dimension, initialCapacity, ann, fullPrecision);
    }

    /** What {@link VectorIndex#bytesPerVector()} of a fresh index would report, without building one. */
    long newIndexBytesPerVector() {
        return ann == null ? (long) dimension * Float.BYTES : GraphVectorIndex.bytesPerVector(ann, dimension);
    }

    public static VectorStoreSettings ofDimension(int dimension) {
        return new VectorStoreSettings(dimension, DEFAULT_INITIAL_CAPACITY);
    }
}
