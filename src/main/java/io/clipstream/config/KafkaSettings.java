package io.clipstream.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

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

    /** Every {@code kafka.*} setting goes to the Kafka clients, prefix removed. */
    public static final String CLIENT_PREFIX = "kafka.";
    public static final String BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";
    public static final String APP_ID = "app.id";
    public static final String STATE_DIR = "state.dir";
    public static final String PROCESSING_GUARANTEE = "processing.guarantee";
    public static final String INDEX_STANDBY_REPLICAS = "index.standby.replicas";
    public static final String TOPICS_PARTITIONS = "topics.partitions";
    public static final String TOPICS_REPLICATION_FACTOR = "topics.replication.factor";
    public static final String TOPICS_CREATE = "topics.create";
    public static final String STATE_BLOCK_CACHE_MB = "state.block.cache.mb";

    public KafkaSettings {
        clientOverrides = Map.copyOf(clientOverrides);
        if (!processingGuarantee.equals("exactly_once_v2") && !processingGuarantee.equals("at_least_once")) {
            throw new ConfigException("processing.guarantee must be exactly_once_v2 or at_least_once, got " + processingGuarantee);
        }
        if (partitions < 1) {
            throw new ConfigException("topics.partitions must be >= 1, got " + partitions);
        }
        if (blockCacheMb < 0) {
            throw new ConfigException(STATE_BLOCK_CACHE_MB + " must be >= 0 (0: Kafka Streams' 50 MiB per store), got "
                    + blockCacheMb);
        }
    }

    static KafkaSettings from(ConfigSource source) {
        Map<String, String> overrides = new java.util.TreeMap<>(source.withPrefix(CLIENT_PREFIX));
        Optional<String> bootstrap = Optional.ofNullable(overrides.remove(BOOTSTRAP_SERVERS.substring(CLIENT_PREFIX.length())));
        int replication = source.integer(TOPICS_REPLICATION_FACTOR, -1);
        return new KafkaSettings(bootstrap, overrides, source.string(APP_ID, "clipstream"),
                source.path(STATE_DIR, Path.of(".clipstream-state")),
                source.string(PROCESSING_GUARANTEE, "exactly_once_v2"),
                source.integer(INDEX_STANDBY_REPLICAS, 0),
                source.integer(TOPICS_PARTITIONS, 4),
                replication > 0 ? Optional.of((short) replication) : Optional.empty(),
                source.bool(TOPICS_CREATE, true),
                source.longValue(STATE_BLOCK_CACHE_MB, 0));
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
