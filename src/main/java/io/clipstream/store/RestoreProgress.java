package io.clipstream.store;

/**
 * Times one store's restore from its changelog: wall time from the first restored batch to the end, and within it
 * the time spent writing RocksDB and updating the index (for a graph index, mostly graph inserts). Written by the
 * restore thread only; {@link #finish} may come from another thread, hence synchronized.
 */
public final class RestoreProgress {

    /** The figures of one finished restore. */
    public record Summary(long batches, long records, double wallSeconds, double rocksSeconds, double indexSeconds) {
    }

    private long firstBatchNanos = -1;
    private long batches;
    private long records;
    private long rocksNanos;
    private long indexNanos;

    synchronized void batch(int recordCount, long rocksNanos, long indexNanos) {
        if (firstBatchNanos < 0) {
            // The batch itself started this long ago.
            firstBatchNanos = System.nanoTime() - rocksNanos - indexNanos;
        }
        batches++;
        records += recordCount;
        this.rocksNanos += rocksNanos;
        this.indexNanos += indexNanos;
    }

    synchronized Summary finish() {
        double wall = firstBatchNanos < 0 ? 0 : (System.nanoTime() - firstBatchNanos) / 1e9;
        Summary summary = new Summary(batches, records, wall, rocksNanos / 1e9, indexNanos / 1e9);
        firstBatchNanos = -1;
        batches = 0;
        records = 0;
        rocksNanos = 0;
        indexNanos = 0;
        return summary;
    }
}
