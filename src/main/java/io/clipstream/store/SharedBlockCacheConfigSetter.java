package io.clipstream.store;

import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;

import java.util.Map;

/**
 * Gives every RocksDB store of the JVM one block cache of {@code state.block.cache.mb}, instead of Kafka Streams' 50 MiB
 * per store. Compressed indexes (int8, fp16) re-rank each search's candidates with float32 vectors read from RocksDB, so
 * the cache decides whether a search reads memory or disk; one shared cache also bounds RocksDB's read memory however
 * many partitions an instance holds.
 *
 * <p>The cache lives as long as the JVM: stores open and close as partitions move, and a cache closed by one store
 * would break the others (Kafka Streams' documented pattern for a bounded, shared cache).
 */
public final class SharedBlockCacheConfigSetter implements RocksDBConfigSetter {

    /** The Streams property carrying the cache size; set by the service from {@code state.block.cache.mb}. */
    public static final String CACHE_BYTES_CONFIG = "clipstream.state.block.cache.bytes";

    private static Cache shared;
    private static long sharedBytes;

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        long bytes = cacheBytes(storeName, configs.get(CACHE_BYTES_CONFIG));
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(cacheOf(bytes));
        options.setTableFormatConfig(table);
    }

    private static long cacheBytes(String storeName, Object value) {
        try {
            long bytes = Long.parseLong(String.valueOf(value));
            if (bytes > 0) {
                return bytes;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalStateException("store " + storeName + ": " + CACHE_BYTES_CONFIG + " is '" + value
                + "', expected a byte count > 0; set state.block.cache.mb (0 leaves Kafka Streams' own cache per store)");
    }

    /** One cache per JVM; a second size (another application in the same JVM) gets its own, kept as long. */
    private static synchronized Cache cacheOf(long bytes) {
        if (shared == null || sharedBytes != bytes) {
            shared = new LRUCache(bytes);
            sharedBytes = bytes;
        }
        return shared;
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache is shared with the other stores: never closed here.
    }
}
