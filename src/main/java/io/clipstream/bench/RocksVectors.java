package io.clipstream.bench;

import io.clipstream.store.FullPrecisionSource;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
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

    private final LRUCache cache = new LRUCache(50L << 20);
    private final BloomFilter bloom = new BloomFilter();
    private final Options options;
    private final RocksDB db;

    public RocksVectors(Path dir) throws RocksDBException {
        // As Kafka Streams configures its RocksDB stores: 4 KiB blocks, 50 MiB block cache, bloom filter, no compression.
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
