package io.clipstream.service;

import io.clipstream.config.ClipstreamConfig;
import io.clipstream.config.KafkaSettings;
import io.clipstream.store.SharedBlockCacheConfigSetter;
import io.clipstream.topology.DeadLetterDeserializationHandler;
import io.clipstream.topology.DeadLetterProcessingHandler;
import io.clipstream.topology.DeadLetterProductionHandler;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.ProducerConfig;
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
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProductionHandler.class.getName());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class.getName());
        // The embedder's processors work on batches: an exception there may not be the current record's fault.
        props.put(DeadLetterProcessingHandler.MODE_CONFIG, role.equals("embedder")
                ? DeadLetterProcessingHandler.FAIL_ALWAYS : DeadLetterProcessingHandler.DEAD_LETTER);
        props.put(DeadLetterDeserializationHandler.TOPIC_CONFIG, config.topics().deadLetters());
        // Dead letters carry the original record, which may be a large image.
        props.put(StreamsConfig.producerPrefix("max.request.size"), Integer.toString(TopicProvisioner.DEAD_LETTER_MAX_BYTES));
        props.put(StreamsConfig.consumerPrefix("max.partition.fetch.bytes"), Integer.toString(32 * 1024 * 1024));
        kafka.clientOverrides().forEach(props::putIfAbsent);
        return props;
    }

    /** The largest record the applications' producers send (max.request.size as these properties set it). */
    static int producerMaxRequestBytes(Properties props) {
        Object value = props.get(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
        if (value == null) {
            value = props.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        }
        return value == null ? 1024 * 1024 : Integer.parseInt(value.toString().trim());
    }
}
