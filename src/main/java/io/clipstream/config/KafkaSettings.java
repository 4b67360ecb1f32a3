package io.clipstream.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static io.clipstream.config.Settings.*;

/**
 * How the applications reach and use Kafka.
 *
 * @param bootstrapServers    kafka.bootstrap.servers
 * @param clientOverrides     every other {@code kafka.*} key, passed as is to the Streams, producer,
 *                            consumer and admin clients (security.protocol, sasl.*, ssl.*, ...)
 * @param applicationId       app.id: prefix of each application's application.id
 * @param stateDir            state.dir: where RocksDB lives
 * @param processingGuarantee processing.guarantee: exactly_once_v2 (default) or at_least_once
 * @param standbyReplicas     index.standby.replicas
 * @param partitions          topics.partitions for topics clipstream creates
 * @param replicationFactor   topics.replication.factor; empty = the broker's default
 * @param createTopics        topics.create: create missing topics at start
 * @param blockCacheMb        state.block.cache.mb: one RocksDB block cache shared by every store of the JVM; 0 = Kafka
 *                            Streams' own 50 MiB per store
 */
public record KafkaSettings(Optional<String> bootstrapServers, Map<String, String> clientOverrides, String applicationId,
                            Path stateDir, String processingGuarantee, int standbyReplicas, int partitions,
                            Optional<Short> replicationFactor, boolean createTopics, long blockCacheMb) {

    public KafkaSettings {
        clientOverrides = Map.copyOf(clientOverrides);
        if (!processingGuarantee.equals("exactly_once_v2") && !processingGuarantee.equals("at_least_once")) {
            throw new ConfigException("processing.guarantee must be exactly_once_v2 or at_least_once, got " + processingGuarantee);
        }
        if (partitions < 1) {
            throw new ConfigException("topics.partitions must be >= 1, got " + partitions);
        }
        if (blockCacheMb < 0) {
            throw new ConfigException(Settings.STATE_BLOCK_CACHE_MB.key() + " must be >= 0 (0: Kafka Streams' 50 MiB per store), got "
                    + blockCacheMb);
        }
    }

    static KafkaSettings from(ConfigSource source) {
        Map<String, String> overrides = new java.util.TreeMap<>(KAFKA_CLIENT.from(source));
        // Taken out of the pass-through, as ever, rather than read on its own: the prefix also accepts environment
        // variables in any case (CLIPSTREAM_KAFKA_bootstrap_servers), and those must keep working.
        Optional<String> bootstrap = Optional.ofNullable(
                overrides.remove(KAFKA_BOOTSTRAP_SERVERS.key().substring(KAFKA_CLIENT.prefix().length())));
        Optional<Integer> replication = TOPICS_REPLICATION_FACTOR.from(source);
        return new KafkaSettings(bootstrap, overrides, APP_ID.from(source), STATE_DIR.from(source),
                PROCESSING_GUARANTEE.from(source), INDEX_STANDBY_REPLICAS.from(source), TOPICS_PARTITIONS.from(source),
                replication.filter(factor -> factor > 0).map(Integer::shortValue),
                TOPICS_CREATE.from(source), STATE_BLOCK_CACHE_MB.from(source));
    }

    /** Settings whose values are secrets (passwords, JAAS configs with credentials, keys). */
    static boolean secret(String key) {
        String k = key.toLowerCase(java.util.Locale.ROOT);
        return k.contains("password") || k.contains("jaas") || k.contains("secret") || k.endsWith(".key")
                || k.contains("credentials") || k.contains("token");
    }

    /** Shows every setting but secret values, so the configuration can be logged. */
    @Override
    public String toString() {
        Map<String, String> shown = new java.util.TreeMap<>();
        clientOverrides.forEach((key, value) -> shown.put(key, secret(key) ? "****" : value));
        return "KafkaSettings[bootstrapServers=" + bootstrapServers.orElse("") + ", clientOverrides=" + shown
                + ", applicationId=" + applicationId + ", stateDir=" + stateDir + ", processingGuarantee=" + processingGuarantee
                + ", standbyReplicas=" + standbyReplicas + ", partitions=" + partitions + ", replicationFactor="
                + replicationFactor.map(String::valueOf).orElse("broker default") + ", createTopics=" + createTopics
                + ", blockCacheMb=" + blockCacheMb + "]";
    }

    public String requireBootstrapServers() {
        return bootstrapServers.orElseThrow(() -> new ConfigException(
                "kafka.bootstrap.servers is not set (or CLIPSTREAM_KAFKA_BOOTSTRAP_SERVERS); point it at your Kafka cluster"));
    }
}
