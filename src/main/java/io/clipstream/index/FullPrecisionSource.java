package io.clipstream.index;

/**
 * Where a compressed index reads an item's full-precision vector to re-rank candidates: the store's RocksDB (the
 * system of record), so the index itself keeps only the compressed codes in memory.
 */
@FunctionalInterface
public interface FullPrecisionSource {

    /** Nothing to read: for indexes that keep float32 in memory. */
    FullPrecisionSource NONE = id -> {
        throw new IllegalStateException("no full-precision source for id '" + id + "': a compressed index (fp16, "
                + "int8) needs the store's RocksDB to re-rank; build it through VectorStoreSettings");
    };

    /** @return the item's float32 vector, or null if the item is no longer stored */
    float[] vector(String id);
}
