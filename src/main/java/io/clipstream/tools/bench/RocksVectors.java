package io.clipstream.tools.bench;

import io.clipstream.index.FullPrecisionSource;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A RocksDB of float32 vectors by id, for `bench knn`'s compressed indexes to re-rank from, as the store's do. Values
 * are the raw little-endian floats (the store keeps Avro records, which add a decode per read on top).
 */
public final class RocksVectors implements FullPrecisionSource, AutoCloseable {

    static {
        RocksDB.loadLibrary();
    }

    /** Kafka Streams' block cache per store when no {@code rocksdb.config.setter} says otherwise. */
    public static final long STREAMS_DEFAULT_CACHE_BYTES = 50L << 20;

    private final LRUCache cache;
    private final BloomFilter bloom = new BloomFilter();
    private final Options options;
    private final RocksDB db;

    /** @param cacheBytes the block cache: Kafka Streams' 50 MiB, or room for the vectors that get re-ranked */
    public RocksVectors(Path dir, long cacheBytes) throws RocksDBException {
        this.cache = new LRUCache(cacheBytes);
        // As Kafka Streams configures its RocksDB stores: 4 KiB blocks, bloom filter, no compression.
        this.options = new Options().setCreateIfMissing(true).setCompressionType(CompressionType.NO_COMPRESSION)
                .setTableFormatConfig(new BlockBasedTableConfig().setBlockSize(4096)
                        .setBlockCache(cache).setFilterPolicy(bloom));
        this.db = RocksDB.open(options, dir.toString());
    }

    /** Writes the rows under ids "0", "1", ... */
    public void putAll(float[][] rows) throws RocksDBException {
        try (WriteOptions write = new WriteOptions().setDisableWAL(true)) {
            for (int start = 0; start < rows.length; start += 10_000) {
                try (WriteBatch batch = new WriteBatch()) {
                    for (int i = start; i < Math.min(rows.length, start + 10_000); i++) {
                        ByteBuffer value = ByteBuffer.allocate(rows[i].length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                        value.asFloatBuffer().put(rows[i]);
                        batch.put(Integer.toString(i).getBytes(StandardCharsets.UTF_8), value.array());
                    }
                    db.write(write, batch);
                }
            }
        }
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            db.flush(flush);
        }
        // Compact now rather than in the background during the searches: a compaction rewrites the files, and the
        // blocks cached from the old ones are then useless (measured: the first 1M int8 run's warm-up was undone so).
        db.compactRange();
    }

    /**
     * Reads every entry once, as a store that has been serving for a while has: the block cache then holds as much of
     * the data as it has room for, instead of the first queries paying for disk reads.
     *
     * @return the bytes of values read
     */
    public long warm() {
        long bytes = 0;
        try (RocksIterator it = db.newIterator()) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                bytes += it.value().length;
            }
        }
        return bytes;
    }

    @Override
    public float[] vector(String id) {
        try {
            byte[] value = db.get(id.getBytes(StandardCharsets.UTF_8));
            if (value == null) {
                return null;
            }
            float[] vector = new float[value.length / Float.BYTES];
            ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
            return vector;
        } catch (RocksDBException e) {
            throw new IllegalStateException("reading vector '" + id + "' from the benchmark's RocksDB: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        db.close();
        options.close();
        bloom.close();
        cache.close();
    }
}
