package io.clipstream.store;

import org.apache.kafka.streams.state.internals.BlockBasedTableConfigWithAccessibleCache;
import org.junit.jupiter.api.Test;
import org.rocksdb.Cache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SharedBlockCacheConfigSetterTest {

    static {
        RocksDB.loadLibrary();
    }

    /** What Kafka Streams hands the setter: options whose table config is its own, cache included. */
    private static Cache cacheAfterSetConfig(String store, Map<String, Object> configs) {
        try (Options options = new Options()) {
            options.setTableFormatConfig(new BlockBasedTableConfigWithAccessibleCache());
            SharedBlockCacheConfigSetter setter = new SharedBlockCacheConfigSetter();
            setter.setConfig(store, options, configs);
            setter.close(store, options);
            return ((BlockBasedTableConfigWithAccessibleCache) options.tableFormatConfig()).blockCache();
        }
    }

    @Test
    void everyStoreGetsTheSameCache() {
        Map<String, Object> configs = Map.of(SharedBlockCacheConfigSetter.CACHE_BYTES_CONFIG, Long.toString(8L << 20));
        Cache first = cacheAfterSetConfig("vectors-image-store", configs);
        Cache second = cacheAfterSetConfig("vectors-caption-store", configs);
        assertNotNull(first);
        assertSame(first, second);
        // Closing a store's options leaves the shared cache usable by the others.
        assertTrue(first.isOwningHandle());
    }

    @Test
    void aMissingOrBadSizeIsRefusedNamingTheStoreAndTheSetting() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> cacheAfterSetConfig("vectors-image-store", Map.of()));
        assertTrue(e.getMessage().contains("vectors-image-store") && e.getMessage().contains("state.block.cache.mb"),
                e.getMessage());
        assertThrows(IllegalStateException.class, () -> cacheAfterSetConfig("s",
                Map.of(SharedBlockCacheConfigSetter.CACHE_BYTES_CONFIG, "lots")));
    }
}
