package io.clipstream.service;

import io.clipstream.config.ClipstreamConfig;
import io.clipstream.config.KafkaSettings;
import io.clipstream.store.SharedBlockCacheConfigSetter;
import io.clipstream.topology.DeadLetterDeserializationHandler;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.streams.StreamsConfig;

import java.util.Properties;

/** The Kafka Streams settings each application gets, from the one configuration. */
final class StreamsProperties {

    private StreamsProperties() {
    }

    static Properties common(ClipstreamConfig config) {
        KafkaSettings kafka = config.kafka();
        Properties props = new Properties();
        props.putAll(kafka.clientOverrides());
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.requireBootstrapServers());
        return props;
    }

    static Properties forApplication(ClipstreamConfig config, String role) {
        KafkaSettings kafka = config.kafka();
        Properties props = common(config);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, kafka.applicationId() + "-" + role);
        props.put(StreamsConfig.STATE_DIR_CONFIG, kafka.stateDir().resolve(role).toAbsolutePath().toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, kafka.processingGuarantee());
        if (kafka.blockCacheMb() > 0) {
            props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, SharedBlockCacheConfigSetter.class.getName());
            props.put(SharedBlockCacheConfigSetter.CACHE_BYTES_CONFIG, Long.toString(kafka.blockCacheMb() << 20));
        }
        kafka.replicationFactor().ifPresent(rf -> props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, Short.toString(rf)));
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class.getName());
        props.put(DeadLetterDeserializationHandler.TOPIC_CONFIG, config.topics().deadLetters());
        // Dead letters carry the original record, which may be a large image.
        props.put(StreamsConfig.producerPrefix("max.request.size"), Integer.toString(32 * 1024 * 1024));
        props.put(StreamsConfig.consumerPrefix("max.partition.fetch.bytes"), Integer.toString(32 * 1024 * 1024));
        kafka.clientOverrides().forEach(props::putIfAbsent);
        return props;
    }
}
