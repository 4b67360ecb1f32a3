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

import java.nio.file.Path;
import io.clipstream.index.AnnSettings;
import io.clipstream.index.SegmentSettings;

import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The service's whole configuration as one typed value, built once from a {@link ConfigSource}
 * and passed to the parts that need it. Every key can be overridden by an environment variable
 * ({@code CLIPSTREAM_} + the key in upper case, dots as underscores); docs/OPERATIONS.md lists them.
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

    public static final String MODEL_DIR = "model.dir";
    public static final String MODEL_VARIANT = "model.variant";
    public static final String DEVICE = "device";
    public static final String DEVICE_STRICT = "device.strict";
    public static final String ENCODER_THREADS = "encoder.threads";
    public static final String ENCODER_BATCH_MAX = "encoder.batch.max";
    public static final String ENCODER_SPIN_WAIT = "encoder.spin.wait";
    public static final String IMAGE_MAX_BYTES = "image.max.bytes";
    public static final String IMAGE_MAX_PIXELS = "image.max.pixels";
    public static final String ROLES = "roles";
    public static final String HTTP_HOST = "http.host";
    public static final String HTTP_PORT = "http.port";
    public static final String HTTP_ADVERTISED_HOST = "http.advertised.host";
    public static final String HTTP_MAX_BODY_BYTES = "http.max.body.bytes";
    public static final String EMBEDDER_BATCH_SIZE = "embedder.batch.size";
    public static final String EMBEDDER_BATCH_MAX_WAIT_MS = "embedder.batch.max.wait.ms";
    public static final String EMBEDDER_BATCHES_IN_FLIGHT = "embedder.batches.in.flight";
    public static final String EMBEDDER_PREPARE_THREADS = "embedder.prepare.threads";
    public static final String FETCH_MAX_BYTES = "fetch.max.bytes";
    public static final String FETCH_TIMEOUT_MS = "fetch.timeout.ms";
    public static final String FETCH_MAX_REDIRECTS = "fetch.max.redirects";
    public static final String FETCH_ALLOW_PRIVATE = "fetch.allow.private";
    public static final String FETCH_ALLOWED_HOSTS = "fetch.allowed.hosts";
    public static final String FETCH_MAX_IN_FLIGHT = "fetch.max.in.flight";
    public static final String FETCH_MAX_PER_HOST = "fetch.max.per.host";
    public static final String FETCH_CIRCUIT_FAILURES = "fetch.circuit.failures";
    public static final String FETCH_CIRCUIT_OPEN_MS = "fetch.circuit.open.ms";
    public static final String HTTP_AUTH_TOKEN = "http.auth.token";
    public static final String HTTP_INTERNAL_TOKEN = "http.internal.token";
    public static final String HTTP_AUTH_HEALTH_OPEN = "http.auth.health.open";
    public static final String HTTP_SEARCH_MAX_CONCURRENT = "http.search.max.concurrent";
    public static final String HTTP_SEARCH_QUEUE_SIZE = "http.search.queue.size";
    public static final String HTTP_SEARCH_QUEUE_TIMEOUT_MS = "http.search.queue.timeout.ms";
    public static final String HTTP_RETRY_AFTER_SECONDS = "http.retry.after.seconds";
    public static final String HTTP_MAX_CONNECTIONS = "http.max.connections";
    public static final String HTTP_IDLE_TIMEOUT_MS = "http.idle.timeout.ms";
    public static final String HTTP_HEADER_TIMEOUT_MS = "http.header.timeout.ms";
    public static final String HTTP_REQUEST_TIMEOUT_MS = "http.request.timeout.ms";
    public static final String SEARCH_TIMEOUT_MS = "search.timeout.ms";
    public static final String SEARCH_MAX_K = "search.max.k";
    public static final String SEARCH_MAX_FILTERS = "search.max.filters";
    public static final String SEARCH_MAX_TEXT_CHARS = "search.max.text.chars";
    public static final String SEARCH_REPLY_TOPICS_ALLOWED = "search.reply.topics.allowed";
    public static final String HEALTH_THREAD_REPLACEMENTS_MAX = "health.thread.replacements.max";
    public static final String HEALTH_THREAD_REPLACEMENTS_WINDOW_MS = "health.thread.replacements.window.ms";

    public static final String INDEX_ANN_ENABLED = "index.ann.enabled";
    public static final String INDEX_ANN_DEGREE = "index.ann.degree";
    public static final String INDEX_ANN_BEAM_WIDTH = "index.ann.beam.width";
    public static final String INDEX_ANN_OVERQUERY = "index.ann.overquery";
    public static final String INDEX_ANN_SEARCH_BEAM = "index.ann.search.beam";
    public static final String INDEX_ANN_MIN_SIZE = "index.ann.min.size";
    public static final String INDEX_ANN_EXACT_FILTER_BELOW = "index.ann.exact.filter.below";
    public static final String INDEX_COMPRESSION = "index.compression";
    public static final String INDEX_SEGMENT_VECTORS = "index.segment.vectors";
    public static final String INDEX_MERGE_FACTOR = "index.merge.factor";
    public static final String INDEX_MERGE_IDLE_MS = "index.merge.idle.ms";
    public static final String INDEX_BUILD_THREADS = "index.build.threads";
    public static final String INDEX_PERSIST_INTERVAL_MS = "index.persist.interval.ms";
    public static final String INDEX_PERSIST_MAX_AGE_MS = "index.persist.max.age.ms";

    public static final String TAGGING_LABELS_FILE = "tagging.labels.file";
    public static final String TAGGING_LABELS = "tagging.labels";
    public static final String TAGGING_TEMPLATES = "tagging.templates";
    public static final String TAGGING_TOP = "tagging.top";

    public static final String WATCHLISTS_ENABLED = "watchlists.enabled";
    public static final String WATCHLISTS_MAX_CONCEPTS = "watchlists.max.concepts";
    public static final String TOPICS_WATCHLISTS_VECTORS = "topics.watchlists.vectors";
    public static final String TOPICS_WATCHLISTS_BACKFILL = "topics.watchlists.backfill";

    public static final Path DEFAULT_MODEL_DIR = Path.of("models/default");
    /** Sealed batches per embedder task still preparing or in the model while the next fills. */
    public static final int DEFAULT_BATCHES_IN_FLIGHT = 2;

    public static ClipstreamConfig from(ConfigSource source) {
        return new ClipstreamConfig(
                encoder(source),
                KafkaSettings.from(source),
                topics(source),
                roles(source.string(ROLES, "embedder,index,responder")),
                guarded(() -> new BatchSettings(source.integer(EMBEDDER_BATCH_SIZE, 32),
                        source.millis(EMBEDDER_BATCH_MAX_WAIT_MS, Duration.ofMillis(200)),
                        source.integer(EMBEDDER_BATCHES_IN_FLIGHT, DEFAULT_BATCHES_IN_FLIGHT))),
                prepareThreads(source.string(EMBEDDER_PREPARE_THREADS, "auto")),
                guarded(() -> new FetchLimits(source.longValue(FETCH_MAX_BYTES, FetchLimits.DEFAULT.maxBytes()),
                        source.millis(FETCH_TIMEOUT_MS, FetchLimits.DEFAULT.timeout()),
                        source.integer(FETCH_MAX_REDIRECTS, FetchLimits.DEFAULT.maxRedirects()))),
                guarded(() -> new FetchConcurrency(source.integer(FETCH_MAX_IN_FLIGHT, FetchConcurrency.DEFAULT.maxInFlight()),
                        source.integer(FETCH_MAX_PER_HOST, FetchConcurrency.DEFAULT.maxPerHost()),
                        source.integer(FETCH_CIRCUIT_FAILURES, FetchConcurrency.DEFAULT.circuitFailures()),
                        source.millis(FETCH_CIRCUIT_OPEN_MS, FetchConcurrency.DEFAULT.circuitOpen()))),
                fetchPolicy(source),
                http(source),
                source.string(HTTP_ADVERTISED_HOST, "localhost"),
                new QueryLimits(source.integer(SEARCH_MAX_K, QueryLimits.DEFAULT.maxK()),
                        source.integer(SEARCH_MAX_FILTERS, QueryLimits.DEFAULT.maxFilters()),
                        source.integer(SEARCH_MAX_TEXT_CHARS, QueryLimits.DEFAULT.maxTextChars())),
                source.millis(SEARCH_TIMEOUT_MS, Duration.ofSeconds(5)),
                schemaRegistry(source),
                ann(source),
                segments(source),
                tagging(source),
                guarded(() -> new WatchlistSettings(source.bool(WATCHLISTS_ENABLED, true),
                        source.integer(WATCHLISTS_MAX_CONCEPTS, WatchlistSettings.DEFAULT_MAX_CONCEPTS))),
                guarded(() -> new HealthSettings(source.integer(HEALTH_THREAD_REPLACEMENTS_MAX, HealthSettings.DEFAULT.maxReplacements()),
                        source.millis(HEALTH_THREAD_REPLACEMENTS_WINDOW_MS, HealthSettings.DEFAULT.window()))),
                guarded(() -> ReplyTopicSettings.parse(source.string(SEARCH_REPLY_TOPICS_ALLOWED, ""))));
    }

    /** The zero-shot label vocabulary; off (no labels) unless tagging.labels.file or tagging.labels is set. */
    static TaggingSettings tagging(ConfigSource source) {
        return guarded(() -> new TaggingSettings(
                TaggingSettings.readLabels(source.string(TAGGING_LABELS_FILE, ""), source.string(TAGGING_LABELS, "")),
                TaggingSettings.parseTemplates(source.string(TAGGING_TEMPLATES, "")),
                source.integer(TAGGING_TOP, TaggingSettings.DEFAULT_TOP)));
    }

    /** The vector stores' graph index settings; null (exact scans only) when {@code index.ann.enabled=false}. */
    static AnnSettings ann(ConfigSource source) {
        if (!source.bool(INDEX_ANN_ENABLED, true)) {
            return null;
        }
        AnnSettings d = AnnSettings.DEFAULTS;
        return guarded(() -> new AnnSettings(source.integer(INDEX_ANN_DEGREE, d.degree()),
                source.integer(INDEX_ANN_BEAM_WIDTH, d.beamWidth()),
                parseFloat(INDEX_ANN_OVERQUERY, source.string(INDEX_ANN_OVERQUERY, Float.toString(d.overquery()))),
                source.integer(INDEX_ANN_SEARCH_BEAM, d.searchBeam()),
                source.integer(INDEX_ANN_MIN_SIZE, d.minSize()),
                AnnSettings.Compression.parse(source.string(INDEX_COMPRESSION,
                        d.compression().name().toLowerCase(java.util.Locale.ROOT))),
                parseFloat(INDEX_ANN_EXACT_FILTER_BELOW,
                        source.string(INDEX_ANN_EXACT_FILTER_BELOW, Double.toString(d.exactFilterBelow())))));
    }

    /** How the vector stores' segments grow, merge and persist. */
    static SegmentSettings segments(ConfigSource source) {
        SegmentSettings d = SegmentSettings.DEFAULTS;
        return guarded(() -> new SegmentSettings(source.integer(INDEX_SEGMENT_VECTORS, d.runVectors()),
                source.integer(INDEX_MERGE_FACTOR, d.mergeFactor()),
                source.millis(INDEX_MERGE_IDLE_MS, d.idleAfter()),
                source.integer(INDEX_BUILD_THREADS, d.buildThreads()),
                source.millis(INDEX_PERSIST_INTERVAL_MS, d.persistInterval()),
                source.millis(INDEX_PERSIST_MAX_AGE_MS, d.maxStateAge())));
    }

    private static float parseFloat(String key, String value) {
        try {
            return Float.parseFloat(value.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key + ": '" + value + "' is not a number");
        }
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
            throw new ConfigException(EMBEDDER_PREPARE_THREADS + ": '" + value + "' is not auto or a number of threads in 0..1024");
        }
    }

    static UrlPolicySettings fetchPolicy(ConfigSource source) {
        UrlPolicySettings settings = new UrlPolicySettings(source.bool(FETCH_ALLOW_PRIVATE, false),
                UrlPolicySettings.parseHosts(source.string(FETCH_ALLOWED_HOSTS, "")));
        // Fail at start, not at the first fetch, on an entry that is neither a name nor a CIDR block.
        guarded(() -> new io.clipstream.fetch.UrlPolicy(settings));
        return settings;
    }

    static HttpSettings http(ConfigSource source) {
        return guarded(() -> new HttpSettings(source.string(HTTP_HOST, HttpSettings.DEFAULT.bindHost()),
                source.integer(HTTP_PORT, HttpSettings.DEFAULT.port()),
                source.longValue(HTTP_MAX_BODY_BYTES, HttpSettings.DEFAULT.maxBodyBytes()),
                BearerToken.optional(HTTP_AUTH_TOKEN, source.find(HTTP_AUTH_TOKEN)),
                BearerToken.optional(HTTP_INTERNAL_TOKEN, source.find(HTTP_INTERNAL_TOKEN)),
                source.bool(HTTP_AUTH_HEALTH_OPEN, true), httpLimits(source)));
    }

    static HttpLimits httpLimits(ConfigSource source) {
        HttpLimits d = HttpLimits.DEFAULT;
        return guarded(() -> new HttpLimits(source.integer(HTTP_SEARCH_MAX_CONCURRENT, d.searchConcurrency()),
                source.integer(HTTP_SEARCH_QUEUE_SIZE, d.searchQueue()),
                source.millis(HTTP_SEARCH_QUEUE_TIMEOUT_MS, d.searchQueueTimeout()),
                source.integer(HTTP_RETRY_AFTER_SECONDS, d.retryAfterSeconds()),
                source.integer(HTTP_MAX_CONNECTIONS, d.maxConnections()),
                source.millis(HTTP_IDLE_TIMEOUT_MS, d.idleTimeout()),
                source.millis(HTTP_HEADER_TIMEOUT_MS, d.headerTimeout()),
                source.millis(HTTP_REQUEST_TIMEOUT_MS, d.requestTimeout())));
    }

    static EncoderSettings encoder(ConfigSource source) {
        DeviceRequest device = guarded(() -> DeviceRequest.parse(source.string(DEVICE, "cpu")));
        return guarded(() -> new EncoderSettings(
                source.path(MODEL_DIR, DEFAULT_MODEL_DIR),
                source.string(MODEL_VARIANT, "auto"),
                device,
                source.bool(DEVICE_STRICT, false),
                source.integer(ENCODER_THREADS, 0),
                source.integer(ENCODER_BATCH_MAX, 32),
                new DecodeLimits(source.longValue(IMAGE_MAX_BYTES, DecodeLimits.DEFAULT.maxBytes()),
                        source.longValue(IMAGE_MAX_PIXELS, DecodeLimits.DEFAULT.maxPixels())),
                source.bool(ENCODER_SPIN_WAIT, false)));
    }

    // The topic names (topics.*), kept beside the one method that reads them.
    public static final String TOPICS_IMAGES = "topics.images";
    public static final String TOPICS_CAPTIONS = "topics.captions";
    public static final String TOPICS_VECTORS_IMAGE = "topics.vectors.image";
    public static final String TOPICS_VECTORS_TEXT = "topics.vectors.text";
    public static final String TOPICS_DLQ = "topics.dlq";
    public static final String TOPICS_SEARCH_REQUESTS = "topics.search.requests";
    public static final String TOPICS_SEARCH_RESPONSES = "topics.search.responses";
    public static final String TOPICS_THUMBNAILS = "topics.thumbnails";
    public static final String TOPICS_WATCHLISTS = "topics.watchlists";
    public static final String TOPICS_ALERTS = "topics.alerts";
    public static final String TOPICS_ANNOTATIONS = "topics.annotations";

    static Topics topics(ConfigSource source) {
        Topics d = Topics.DEFAULT;
        return new Topics(source.string(TOPICS_IMAGES, d.images()), source.string(TOPICS_CAPTIONS, d.captions()),
                source.string(TOPICS_VECTORS_IMAGE, d.imageVectors()), source.string(TOPICS_VECTORS_TEXT, d.textVectors()),
                source.string(TOPICS_DLQ, d.deadLetters()), source.string(TOPICS_SEARCH_REQUESTS, d.searchRequests()),
                source.string(TOPICS_SEARCH_RESPONSES, d.searchResponses()), source.string(TOPICS_THUMBNAILS, d.thumbnails()),
                source.string(TOPICS_WATCHLISTS, d.watchlists()), source.string(TOPICS_ALERTS, d.alerts()),
                source.string(TOPICS_ANNOTATIONS, d.annotations()),
                source.string(TOPICS_WATCHLISTS_VECTORS, d.watchlistVectors()),
                source.string(TOPICS_WATCHLISTS_BACKFILL, d.watchlistBackfill()));
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
        Optional<String> url = source.find(SchemaRegistryConfig.URL);
        if (url.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : new String[]{SchemaRegistryConfig.URL, SchemaRegistryConfig.BASIC_AUTH_USER_INFO,
                SchemaRegistryConfig.AUTO_REGISTER, SchemaRegistryConfig.TIMEOUT_MS}) {
            source.find(key).ifPresent(value -> values.put(key, value));
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
