package io.clipstream.service;

import io.clipstream.config.ClipstreamConfig;
import io.clipstream.config.ConfigException;
import io.clipstream.config.ConfigSource;
import io.clipstream.store.SharedBlockCacheConfigSetter;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamsPropertiesTest {

    private static Properties index(Map<String, String> settings) {
        return StreamsProperties.forApplication(ClipstreamConfig.from(ConfigSource.of(settings)), "index");
    }

    @Test
    void aBlockCacheSizeInstallsTheSharedCacheSetter() {
        Properties props = index(Map.of("kafka.bootstrap.servers", "broker:9092", "state.block.cache.mb", "3072"));
        assertEquals(SharedBlockCacheConfigSetter.class.getName(), props.get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG));
        assertEquals(Long.toString(3072L << 20), props.get(SharedBlockCacheConfigSetter.CACHE_BYTES_CONFIG));
    }

    @Test
    void withoutOneKafkaStreamsKeepsItsOwnCachePerStore() {
        Properties props = index(Map.of("kafka.bootstrap.servers", "broker:9092"));
        assertFalse(props.containsKey(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG));
        assertFalse(props.containsKey(SharedBlockCacheConfigSetter.CACHE_BYTES_CONFIG));
    }

    @Test
    void aNegativeSizeIsRefusedNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> ClipstreamConfig.from(ConfigSource.of(
                Map.of("kafka.bootstrap.servers", "broker:9092", "state.block.cache.mb", "-1"))));
        assertTrue(e.getMessage().contains("state.block.cache.mb"), e.getMessage());
    }
}
