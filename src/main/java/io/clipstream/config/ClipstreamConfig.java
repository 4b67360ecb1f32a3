package io.clipstream.config;

import io.clipstream.encoders.DeviceRequest;
import io.clipstream.encoders.EncoderSettings;
import io.clipstream.encoders.image.DecodeLimits;
import io.clipstream.fetch.FetchConcurrency;
import io.clipstream.fetch.FetchLimits;
import io.clipstream.fetch.UrlPolicySettings;
import io.clipstream.http.BearerToken;
import io.clipstream.http.HttpLimits;
import io.clipstream.http.HttpSettings;
import io.clipstream.schemaregistry.SchemaRegistryConfig;
import io.clipstream.search.QueryLimits;
import io.clipstream.http.HealthSettings;
import io.clipstream.tagging.TaggingSettings;
import io.clipstream.topology.BatchSettings;
import io.clipstream.topology.ReplyTopicPolicy;
import io.clipstream.topology.ReplyTopicSettings;
import io.clipstream.topology.Topics;
import io.clipstream.watchlist.WatchlistSettings;

import io.clipstream.index.AnnSettings;
import io.clipstream.index.SegmentSettings;

import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.clipstream.config.Settings.*;

/**
 * The service's whole configuration as one typed value, built once from a {@link ConfigSource}
 * and passed to the parts that need it. Every key can be overridden by an environment variable
 * ({@code CLIPSTREAM_} + the key in upper case, dots as underscores). Each key, its default and
 * its meaning are defined once, in {@link Settings}; docs/OPERATIONS.md lists them.
 */
public record ClipstreamConfig(EncoderSettings encoder, KafkaSettings kafka, Topics topics, Set<Role> roles,
                               BatchSettings batch, int prepareThreads, FetchLimits fetch, FetchConcurrency fetchConcurrency,
                               UrlPolicySettings fetchPolicy, HttpSettings http, String advertisedHost,
                               QueryLimits queryLimits, Duration searchTimeout,
                               Optional<SchemaRegistryConfig> schemaRegistry, AnnSettings ann, SegmentSettings segments,
                               TaggingSettings tagging, WatchlistSettings watchlists, HealthSettings health,
                               ReplyTopicSettings replyTopics) {

    public ClipstreamConfig {
        // Fail at start, naming the key, when the reply-topic allowlist names one of the service's own topics.
        guarded(() -> new ReplyTopicPolicy(topics, kafka.applicationId(), replyTopics));
    }

    /** What an instance runs; GPU nodes can embed while memory-heavy nodes index and serve. */
    public enum Role { EMBEDDER, INDEX, RESPONDER }

    public static ClipstreamConfig from(ConfigSource source) {
        return new ClipstreamConfig(
                encoder(source),
                KafkaSettings.from(source),
                topics(source),
                roles(ROLES.from(source)),
                guarded(() -> new BatchSettings(EMBEDDER_BATCH_SIZE.from(source),
                        EMBEDDER_BATCH_MAX_WAIT_MS.from(source),
                        EMBEDDER_BATCHES_IN_FLIGHT.from(source))),
                prepareThreads(EMBEDDER_PREPARE_THREADS.from(source)),
                guarded(() -> new FetchLimits(FETCH_MAX_BYTES.from(source),
                        FETCH_TIMEOUT_MS.from(source),
                        FETCH_MAX_REDIRECTS.from(source))),
                guarded(() -> new FetchConcurrency(FETCH_MAX_IN_FLIGHT.from(source),
                        FETCH_MAX_PER_HOST.from(source),
                        FETCH_CIRCUIT_FAILURES.from(source),
                        FETCH_CIRCUIT_OPEN_MS.from(source))),
                fetchPolicy(source),
                http(source),
                HTTP_ADVERTISED_HOST.from(source),
                new QueryLimits(SEARCH_MAX_K.from(source),
                        SEARCH_MAX_FILTERS.from(source),
                        SEARCH_MAX_TEXT_CHARS.from(source)),
                SEARCH_TIMEOUT_MS.from(source),
                schemaRegistry(source),
                ann(source),
                segments(source),
                tagging(source),
                guarded(() -> new WatchlistSettings(WATCHLISTS_ENABLED.from(source),
                        WATCHLISTS_MAX_CONCEPTS.from(source))),
                guarded(() -> new HealthSettings(HEALTH_THREAD_REPLACEMENTS_MAX.from(source),
                        HEALTH_THREAD_REPLACEMENTS_WINDOW_MS.from(source))),
                guarded(() -> ReplyTopicSettings.parse(SEARCH_REPLY_TOPICS_ALLOWED.from(source))));
    }

    /** The zero-shot label vocabulary; off (no labels) unless tagging.labels.file or tagging.labels is set. */
    static TaggingSettings tagging(ConfigSource source) {
        return guarded(() -> new TaggingSettings(
                TaggingSettings.readLabels(TAGGING_LABELS_FILE.from(source).orElse(""), TAGGING_LABELS.from(source).orElse("")),
                TaggingSettings.parseTemplates(TAGGING_TEMPLATES.from(source)),
                TAGGING_TOP.from(source)));
    }

    /** The vector stores' graph index settings; null (exact scans only) when {@code index.ann.enabled=false}. */
    static AnnSettings ann(ConfigSource source) {
        if (!INDEX_ANN_ENABLED.from(source)) {
            return null;
        }
        return guarded(() -> new AnnSettings(INDEX_ANN_DEGREE.from(source),
                INDEX_ANN_BEAM_WIDTH.from(source),
                INDEX_ANN_OVERQUERY.from(source),
                INDEX_ANN_SEARCH_BEAM.from(source),
                INDEX_ANN_MIN_SIZE.from(source),
                compression(INDEX_COMPRESSION.from(source)),
                INDEX_ANN_EXACT_FILTER_BELOW.from(source)));
    }

    /** Compression.parse names the value and the choices but not the key, which the operator has to find. */
    private static AnnSettings.Compression compression(String value) {
        try {
            return AnnSettings.Compression.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(INDEX_COMPRESSION.key() + ": " + e.getMessage(), e);
        }
    }

    /** How the vector stores' segments grow, merge and persist. */
    static SegmentSettings segments(ConfigSource source) {
        return guarded(() -> new SegmentSettings(INDEX_SEGMENT_VECTORS.from(source),
                INDEX_MERGE_FACTOR.from(source),
                INDEX_MERGE_IDLE_MS.from(source),
                INDEX_BUILD_THREADS.from(source).orElse(SegmentSettings.DEFAULTS.buildThreads()),
                INDEX_PERSIST_INTERVAL_MS.from(source),
                INDEX_PERSIST_MAX_AGE_MS.from(source)));
    }

    /**
     * Threads that parse, fetch-decode and preprocess embedder records: {@code auto} for one per core,
     * {@code 0} for none (everything on the stream thread, one record after another, as before).
     */
    static int prepareThreads(String value) {
        String v = value.trim();
        if (v.equalsIgnoreCase("auto")) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int threads = Integer.parseInt(v);
            if (threads < 0 || threads > 1024) {
                throw new NumberFormatException();
            }
            return threads;
        } catch (NumberFormatException e) {
            throw new ConfigException(EMBEDDER_PREPARE_THREADS.key() + ": '" + value + "' is not auto or a number of threads in 0..1024");
        }
    }

    static UrlPolicySettings fetchPolicy(ConfigSource source) {
        UrlPolicySettings settings = new UrlPolicySettings(FETCH_ALLOW_PRIVATE.from(source),
                UrlPolicySettings.parseHosts(FETCH_ALLOWED_HOSTS.from(source)));
        // Fail at start, not at the first fetch, on an entry that is neither a name nor a CIDR block.
        guarded(() -> new io.clipstream.fetch.UrlPolicy(settings));
        return settings;
    }

    static HttpSettings http(ConfigSource source) {
        return guarded(() -> new HttpSettings(HTTP_HOST.from(source),
                HTTP_PORT.from(source),
                HTTP_MAX_BODY_BYTES.from(source),
                BearerToken.optional(HTTP_AUTH_TOKEN.key(), HTTP_AUTH_TOKEN.from(source)),
                BearerToken.optional(HTTP_INTERNAL_TOKEN.key(), HTTP_INTERNAL_TOKEN.from(source)),
                HTTP_AUTH_HEALTH_OPEN.from(source), httpLimits(source)));
    }

    static HttpLimits httpLimits(ConfigSource source) {
        return guarded(() -> new HttpLimits(HTTP_SEARCH_MAX_CONCURRENT.from(source),
                HTTP_SEARCH_QUEUE_SIZE.from(source),
                HTTP_SEARCH_QUEUE_TIMEOUT_MS.from(source),
                HTTP_RETRY_AFTER_SECONDS.from(source),
                HTTP_MAX_CONNECTIONS.from(source),
                HTTP_IDLE_TIMEOUT_MS.from(source),
                HTTP_HEADER_TIMEOUT_MS.from(source),
                HTTP_REQUEST_TIMEOUT_MS.from(source)));
    }

    static EncoderSettings encoder(ConfigSource source) {
        DeviceRequest device = guarded(() -> DeviceRequest.parse(DEVICE.from(source)));
        return guarded(() -> new EncoderSettings(
                MODEL_DIR.from(source),
                MODEL_VARIANT.from(source),
                device,
                DEVICE_STRICT.from(source),
                ENCODER_THREADS.from(source),
                ENCODER_BATCH_MAX.from(source),
                new DecodeLimits(IMAGE_MAX_BYTES.from(source),
                        IMAGE_MAX_PIXELS.from(source)),
                ENCODER_SPIN_WAIT.from(source)));
    }

    static Topics topics(ConfigSource source) {
        return new Topics(TOPICS_IMAGES.from(source), TOPICS_CAPTIONS.from(source),
                TOPICS_VECTORS_IMAGE.from(source), TOPICS_VECTORS_TEXT.from(source),
                TOPICS_DLQ.from(source), TOPICS_SEARCH_REQUESTS.from(source),
                TOPICS_SEARCH_RESPONSES.from(source), TOPICS_THUMBNAILS.from(source),
                TOPICS_WATCHLISTS.from(source), TOPICS_ALERTS.from(source),
                TOPICS_ANNOTATIONS.from(source),
                TOPICS_WATCHLISTS_VECTORS.from(source),
                TOPICS_WATCHLISTS_BACKFILL.from(source));
    }

    static Set<Role> roles(String value) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String part : value.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            try {
                roles.add(Role.valueOf(part.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("roles: '" + part.trim() + "' is not one of embedder, index, responder");
            }
        }
        if (roles.isEmpty()) {
            throw new ConfigException("roles is empty; give one or more of embedder, index, responder");
        }
        return roles;
    }

    static Optional<SchemaRegistryConfig> schemaRegistry(ConfigSource source) {
        if (SCHEMA_REGISTRY_URL.from(source).isEmpty()) {
            return Optional.empty();
        }
        // Handed over as written: SchemaRegistryConfig parses its own keys, as it does from a Kafka serde's
        // configs, so a wrong value is refused with the same message whichever way it came.
        Map<String, String> values = new LinkedHashMap<>();
        for (Setting<?> setting : Settings.schemaRegistry()) {
            source.find(setting.key()).ifPresent(value -> values.put(setting.key(), value));
        }
        return Optional.of(guarded(() -> SchemaRegistryConfig.fromProperties(values)));
    }

    /** The registry settings, which the service cannot run without. */
    public SchemaRegistryConfig requireSchemaRegistry() {
        return schemaRegistry.orElseThrow(() -> new ConfigException(SchemaRegistryConfig.URL
                + " is not set; point it at a Confluent-compatible schema registry (or run `clipstream demo`)"));
    }

    private static <T> T guarded(java.util.function.Supplier<T> build) {
        try {
            return build.get();
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage(), e);
        }
    }
}
