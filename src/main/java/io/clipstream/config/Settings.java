package io.clipstream.config;

import io.clipstream.encoders.image.DecodeLimits;
import io.clipstream.fetch.FetchConcurrency;
import io.clipstream.fetch.FetchLimits;
import io.clipstream.http.HealthSettings;
import io.clipstream.http.HttpLimits;
import io.clipstream.http.HttpSettings;
import io.clipstream.index.AnnSettings;
import io.clipstream.index.SegmentSettings;
import io.clipstream.schemaregistry.SchemaRegistryConfig;
import io.clipstream.search.QueryLimits;
import io.clipstream.tagging.TaggingSettings;
import io.clipstream.topology.Topics;
import io.clipstream.watchlist.WatchlistSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting the service reads, each defined once: key, type, default, meaning, section and
 * whether it is a secret. {@link ClipstreamConfig#from} reads the values through these definitions
 * and {@link ConfigReference} generates the reference in docs/OPERATIONS.md from them, in this
 * order. Where a stage's settings record already holds a default (e.g. {@code FetchLimits.DEFAULT}),
 * the definition refers to it, so that the stage's own default and the service's cannot drift apart.
 *
 * <p>After changing a definition, run {@value ConfigReference#REGENERATE_COMMAND}.
 */
public final class Settings {

    // Each definition adds itself here as it is declared, so no second list can miss one.
    private static final List<Setting<?>> ALL = new ArrayList<>();

    private Settings() {
    }

    /** Every setting, in the order the reference lists them. */
    public static List<Setting<?>> all() {
        return Collections.unmodifiableList(ALL);
    }

    private static final Section KAFKA = new Section("Kafka");
    public static final Setting<Optional<String>> KAFKA_BOOTSTRAP_SERVERS = KAFKA.optionalText("kafka.bootstrap.servers",
            "required: the Kafka cluster, `host:port` pairs separated by commas");
    public static final Setting<Map<String, String>> KAFKA_CLIENT = KAFKA.prefix("kafka.*", "any other client setting, "
            + "passed to the Streams, producer, consumer and admin clients with the prefix removed (`kafka.security.protocol`, "
            + "`kafka.sasl.mechanism`, `kafka.ssl.truststore.location`, `kafka.session.timeout.ms`, ...); values of "
            + "secret-looking names are masked in logs");
    public static final Setting<String> APP_ID = KAFKA.text("app.id", "clipstream", "prefix of the applications' "
            + "`application.id` (`-embedder`, `-index`, `-responder`) and of their internal topics; a new value starts "
            + "from scratch (re-indexing)");
    public static final Setting<Path> STATE_DIR = KAFKA.path("state.dir", Path.of(".clipstream-state"), "RocksDB state, "
            + "one folder per application; keep it on a persistent volume so a restart does not restore the index from the "
            + "vector topics");
    public static final Setting<Long> STATE_BLOCK_CACHE_MB = KAFKA.longValue("state.block.cache.mb", 0L, "one RocksDB block "
            + "cache, in MiB, shared by every store of the instance; `0`: Kafka Streams' own 50 MiB per store. With "
            + "`index.compression` `int8` or `fp16` every search re-ranks `k * index.ann.overquery` vectors read from RocksDB: "
            + "size it to hold the hot vectors (about 2.1 KiB per 512-d vector) or leave the page cache room for them");
    public static final Setting<String> PROCESSING_GUARANTEE = KAFKA.text("processing.guarantee", "exactly_once_v2",
            "or `at_least_once`");
    public static final Setting<Integer> INDEX_STANDBY_REPLICAS = KAFKA.integer("index.standby.replicas", 0, "standby copies "
            + "of each index partition on other instances; set `1` when you run two or more index instances (see Availability)");
    public static final Setting<Boolean> TOPICS_CREATE = KAFKA.bool("topics.create", true, "create missing topics at start "
            + "(vector, thumbnail and watchlist topics compacted)");
    public static final Setting<Integer> TOPICS_PARTITIONS = KAFKA.integer("topics.partitions", 4, "partitions of the topics "
            + "clipstream creates: the most embedder and index instances that can share the work");
    public static final Setting<Optional<Integer>> TOPICS_REPLICATION_FACTOR = KAFKA.optionalInteger("topics.replication.factor",
            "replication factor of the topics clipstream creates and of the internal topics; unset: the broker's default");

    // The keys and defaults are SchemaRegistryConfig's: it also reads them from Kafka serde configs, and cannot import this package.
    private static final Section SCHEMA_REGISTRY = new Section("Schema registry");
    public static final Setting<Optional<String>> SCHEMA_REGISTRY_URL = SCHEMA_REGISTRY.optionalText(SchemaRegistryConfig.URL,
            "required: comma-separated URLs of a Confluent-compatible registry, tried in order; credentials in the URL are "
            + "moved out of it and never logged");
    public static final Setting<Optional<String>> SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO = SCHEMA_REGISTRY.secret(
            SchemaRegistryConfig.BASIC_AUTH_USER_INFO, "`user:password` for HTTP basic authentication");
    public static final Setting<Boolean> SCHEMA_REGISTRY_AUTO_REGISTER = SCHEMA_REGISTRY.bool(SchemaRegistryConfig.AUTO_REGISTER,
            SchemaRegistryConfig.DEFAULT_AUTO_REGISTER, "register the value schemas on first use; `false`: they must be "
            + "registered already");
    public static final Setting<Duration> SCHEMA_REGISTRY_TIMEOUT_MS = SCHEMA_REGISTRY.millis(SchemaRegistryConfig.TIMEOUT_MS,
            SchemaRegistryConfig.DEFAULT_REQUEST_TIMEOUT, "connect and request timeout per registry call");

    private static final Section TOPICS = new Section("Topics");
    public static final Setting<String> TOPICS_IMAGES = TOPICS.text("topics.images", Topics.DEFAULT.images(),
            "image events (input)");
    public static final Setting<String> TOPICS_CAPTIONS = TOPICS.text("topics.captions", Topics.DEFAULT.captions(),
            "caption events (input)");
    public static final Setting<String> TOPICS_VECTORS_IMAGE = TOPICS.text("topics.vectors.image",
            Topics.DEFAULT.imageVectors(), "image vectors (compacted; the index's changelog)");
    public static final Setting<String> TOPICS_VECTORS_TEXT = TOPICS.text("topics.vectors.text", Topics.DEFAULT.textVectors(),
            "text vectors (compacted; the index's changelog)");
    public static final Setting<String> TOPICS_DLQ = TOPICS.text("topics.dlq", Topics.DEFAULT.deadLetters(),
            "dead letters: original key and value, reason in headers");
    public static final Setting<String> TOPICS_SEARCH_REQUESTS = TOPICS.text("topics.search.requests",
            Topics.DEFAULT.searchRequests(), "search requests the responder answers");
    public static final Setting<String> TOPICS_SEARCH_RESPONSES = TOPICS.text("topics.search.responses",
            Topics.DEFAULT.searchResponses(), "search responses (unless a request names its own reply topic)");
    public static final Setting<String> TOPICS_THUMBNAILS = TOPICS.text("topics.thumbnails", Topics.DEFAULT.thumbnails(),
            "small previews of images that arrived as bytes (compacted)");
    public static final Setting<String> TOPICS_WATCHLISTS = TOPICS.text("topics.watchlists", Topics.DEFAULT.watchlists(),
            "moderation concepts (compacted)");
    public static final Setting<String> TOPICS_ALERTS = TOPICS.text("topics.alerts", Topics.DEFAULT.alerts(),
            "matches of images against watchlist concepts");
    public static final Setting<String> TOPICS_ANNOTATIONS = TOPICS.text("topics.annotations", Topics.DEFAULT.annotations(),
            "zero-shot labels of each embedded image");
    public static final Setting<String> TOPICS_WATCHLISTS_VECTORS = TOPICS.text("topics.watchlists.vectors",
            Topics.DEFAULT.watchlistVectors(), "the embedded active concepts (compacted, internal; written by the embedder, "
            + "read whole by every embedder and index instance)");
    public static final Setting<String> TOPICS_WATCHLISTS_BACKFILL = TOPICS.text("topics.watchlists.backfill",
            Topics.DEFAULT.watchlistBackfill(), "backfill requests; must have as many partitions as `topics.vectors.image`");

    private static final Section ROLES_SECTION = new Section("Roles");
    public static final Setting<String> ROLES = ROLES_SECTION.text("roles", "embedder,index,responder", "what this instance "
            + "runs: `embedder` (GPU nodes), `index` (vector stores and the HTTP API), `responder` (the search topics; needs "
            + "`index` beside it)");

    private static final Section MODEL = new Section("Model and encoders");
    public static final Setting<Path> MODEL_DIR = MODEL.path("model.dir", Path.of("models/default"), "clipstream manifest or "
            + "Hugging Face CLIP export (docs/MODELS.md)");
    public static final Setting<String> MODEL_VARIANT = MODEL.text("model.variant", "auto", "ONNX variant of a Hugging Face "
            + "export: `full`, `quantized`, `fp16`, ...");
    public static final Setting<String> DEVICE = MODEL.text("device", "cpu", "`cpu`, `cuda`, `cuda:N` or `auto`");
    public static final Setting<Boolean> DEVICE_STRICT = MODEL.bool("device.strict", false, "fail at start when CUDA was asked "
            + "for and cannot be used (else: log and run on CPU)");
    public static final Setting<Integer> ENCODER_THREADS = MODEL.integer("encoder.threads", 0, "intra-op threads per ONNX "
            + "session; `0`: ONNX Runtime decides");
    public static final Setting<Integer> ENCODER_BATCH_MAX = MODEL.integer("encoder.batch.max", 32, "most inputs per ONNX "
            + "Runtime call");
    public static final Setting<Boolean> ENCODER_SPIN_WAIT = MODEL.bool("encoder.spin.wait", false, "let ONNX Runtime's "
            + "intra-op threads spin while they wait for work (ONNX Runtime's own default): quicker hand-offs inside a call, "
            + "but on CPU they then burn the cores the embedder's preparation threads need; off, the pipelined embedder ran "
            + "29% faster with a tiny model and 4% with ViT-B/32 on 2 cores (docs/BENCHMARKS.md, \"Embedder pipeline\")");
    public static final Setting<Long> IMAGE_MAX_BYTES = MODEL.longValue("image.max.bytes", DecodeLimits.DEFAULT.maxBytes(),
            "largest encoded image");
    public static final Setting<Long> IMAGE_MAX_PIXELS = MODEL.longValue("image.max.pixels", DecodeLimits.DEFAULT.maxPixels(),
            "largest width x height a header may declare (checked before decoding)");

    private static final Section EMBEDDER = new Section("Embedder");
    public static final Setting<Integer> EMBEDDER_BATCH_SIZE = EMBEDDER.integer("embedder.batch.size", 32, "records per "
            + "batch: a batch is sealed when this many wait, and embedded in one model call once all of them are prepared");
    public static final Setting<Duration> EMBEDDER_BATCH_MAX_WAIT_MS = EMBEDDER.millis("embedder.batch.max.wait.ms",
            Duration.ofMillis(200), "wall-clock flush interval: whatever waits is sealed into a batch, however few");
    public static final Setting<Integer> EMBEDDER_BATCHES_IN_FLIGHT = EMBEDDER.integer("embedder.batches.in.flight", 2,
            "batches' worth of sealed records (this x `embedder.batch.size`) per task (partition) that may still be "
            + "fetching, decoding or in the model while the next batch fills, so the model call of one batch overlaps the "
            + "preparation of the next; a prepared image holds about 0.6 MB at 224 px. `0`: each batch is sent in the step "
            + "that sealed it");
    public static final Setting<String> EMBEDDER_PREPARE_THREADS = EMBEDDER.text("embedder.prepare.threads", "auto",
            "threads that parse, decode and preprocess records from the moment they are buffered, shared by every task: "
            + "`auto` = one per core; `0` = none, everything on the stream thread one record after another (the serial "
            + "embedder of earlier versions, for comparison). URL fetches run on virtual threads within "
            + "`fetch.max.in.flight`; model calls on one thread per tower that joins waiting batches up to "
            + "`encoder.batch.max` inputs");

    private static final Section TAGGING = new Section("Zero-shot tagging");
    public static final Setting<Optional<String>> TAGGING_LABELS_FILE = TAGGING.optionalText("tagging.labels.file", "label "
            + "vocabulary, one label a line (`#` comments); a path or `classpath:NAME`; `clipstream demo` uses "
            + "`classpath:demo/labels.txt`");
    public static final Setting<Optional<String>> TAGGING_LABELS = TAGGING.optionalText("tagging.labels", "more labels, "
            + "comma-separated; tagging is off when neither setting gives a label");
    public static final Setting<String> TAGGING_TEMPLATES = TAGGING.text("tagging.templates",
            String.join("|", TaggingSettings.DEFAULT_TEMPLATES), "prompts separated by `|`, `{}` for the label; a label's "
            + "vector is the mean of its prompts' text vectors");
    public static final Setting<Integer> TAGGING_TOP = TAGGING.integer("tagging.top", TaggingSettings.DEFAULT_TOP,
            "labels stored per image, best first");

    private static final Section WATCHLISTS = new Section("Watchlists");
    public static final Setting<Boolean> WATCHLISTS_ENABLED = WATCHLISTS.bool("watchlists.enabled", true, "the embedder "
            + "scores every embedded image against the watchlist concepts and the index answers backfill requests (see "
            + "Watchlists below); `false` leaves the watchlist topics alone");
    public static final Setting<Integer> WATCHLISTS_MAX_CONCEPTS = WATCHLISTS.integer("watchlists.max.concepts",
            WatchlistSettings.DEFAULT_MAX_CONCEPTS, "most active concepts an embedder holds in its concept matrix (1 to "
            + "100000); a concept beyond it is dead-lettered (`TOO_MANY_CONCEPTS`)");

    private static final Section FETCH = new Section("Image URLs");
    public static final Setting<Long> FETCH_MAX_BYTES = FETCH.longValue("fetch.max.bytes", FetchLimits.DEFAULT.maxBytes(),
            "largest image fetched by URL");
    public static final Setting<Duration> FETCH_TIMEOUT_MS = FETCH.millis("fetch.timeout.ms", FetchLimits.DEFAULT.timeout(),
            "the whole of one URL fetch, from when it is asked for (waiting for a slot, connecting, every redirect and the "
            + "body). A batch waits for its slowest image, and under exactly-once the stream thread must commit within the "
            + "producer's `transaction.timeout.ms` (Kafka Streams' default 10 s) or its task is restarted: keep this well "
            + "below it");
    public static final Setting<Integer> FETCH_MAX_REDIRECTS = FETCH.integer("fetch.max.redirects",
            FetchLimits.DEFAULT.maxRedirects(), "redirects followed (each hop checked like the first URL)");
    public static final Setting<Boolean> FETCH_ALLOW_PRIVATE = FETCH.bool("fetch.allow.private", false, "also fetch from "
            + "loopback, private, link-local, CGNAT, multicast and reserved addresses (cloud metadata addresses stay refused)");
    public static final Setting<String> FETCH_ALLOWED_HOSTS = FETCH.text("fetch.allowed.hosts", "", "comma-separated host "
            + "names and CIDR blocks fetched even though their address would be refused, e.g. `images.corp,10.20.0.0/16`; "
            + "the only way to reach a metadata address");
    public static final Setting<Integer> FETCH_MAX_IN_FLIGHT = FETCH.integer("fetch.max.in.flight",
            FetchConcurrency.DEFAULT.maxInFlight(), "URL fetches in flight per instance, all servers together (embedder and "
            + "searches by image URL)");
    public static final Setting<Integer> FETCH_MAX_PER_HOST = FETCH.integer("fetch.max.per.host",
            FetchConcurrency.DEFAULT.maxPerHost(), "URL fetches in flight to one server (host and port); more wait their "
            + "turn, within `fetch.timeout.ms` counted from when the fetch was asked for. Connections are kept alive and "
            + "reused per server and checked address");
    public static final Setting<Integer> FETCH_CIRCUIT_FAILURES = FETCH.integer("fetch.circuit.failures",
            FetchConcurrency.DEFAULT.circuitFailures(), "consecutive failed fetches (no connection, timeout, HTTP 5xx or "
            + "429) after which a server is not contacted for `fetch.circuit.open.ms`: its events are dead-lettered at once "
            + "(`FETCH_FAILED`, the reason says so) instead of each waiting out the timeout");
    public static final Setting<Duration> FETCH_CIRCUIT_OPEN_MS = FETCH.millis("fetch.circuit.open.ms",
            FetchConcurrency.DEFAULT.circuitOpen(), "how long a failing server is left alone; then one fetch probes it and "
            + "its answer closes or reopens the circuit");

    private static final Section INDEX = new Section("Index");
    public static final Setting<Boolean> INDEX_ANN_ENABLED = INDEX.bool("index.ann.enabled", true, "an ANN graph (JVector) "
            + "per vector store partition; `false`: exact scans only");
    public static final Setting<Integer> INDEX_ANN_MIN_SIZE = INDEX.integer("index.ann.min.size",
            AnnSettings.DEFAULTS.minSize(), "a partition with fewer vectors answers by exact scan (as fast, and exact)");
    public static final Setting<Integer> INDEX_ANN_DEGREE = INDEX.integer("index.ann.degree", AnnSettings.DEFAULTS.degree(),
            "graph degree: neighbours per node; recall and memory (`4 * degree` bytes per vector) grow with it");
    public static final Setting<Integer> INDEX_ANN_BEAM_WIDTH = INDEX.integer("index.ann.beam.width",
            AnnSettings.DEFAULTS.beamWidth(), "candidates kept while inserting a node (HNSW's efConstruction)");
    public static final Setting<Integer> INDEX_ANN_SEARCH_BEAM = INDEX.integer("index.ann.search.beam",
            AnnSettings.DEFAULTS.searchBeam(), "smallest search beam (HNSW's ef), whatever k");
    public static final Setting<Float> INDEX_ANN_OVERQUERY = INDEX.number("index.ann.overquery",
            AnnSettings.DEFAULTS.overquery(), "search beam at least `k * overquery`");
    // Read as a float, as it always was: the cast keeps the value an unset key gives exactly what it was.
    public static final Setting<Float> INDEX_ANN_EXACT_FILTER_BELOW = INDEX.number("index.ann.exact.filter.below",
            (float) AnnSettings.DEFAULTS.exactFilterBelow(), "a filter keeping less than this fraction of a partition "
            + "(sampled) is answered by an exact scan of the matching items; docs/BENCHMARKS.md has the crossover");
    public static final Setting<String> INDEX_COMPRESSION = INDEX.text("index.compression",
            AnnSettings.DEFAULTS.compression().name().toLowerCase(Locale.ROOT), "what the graph keeps in memory and walks "
            + "with: `none` (float32), `binary` (1 bit per component beside float32), `fp16` or `int8` (codes only, 1/2 or "
            + "1/4 of float32; `k * index.ann.overquery` candidates re-ranked with float32 read from RocksDB), "
            + "`int8_float32` (int8 codes build and walk the graph beside the float32 copy, which re-ranks in memory: 1/4 "
            + "more memory than `none`, faster walks and builds on large partitions); PQ is not implemented");
    public static final Setting<Integer> INDEX_SEGMENT_VECTORS = INDEX.integer("index.segment.vectors",
            SegmentSettings.DEFAULTS.runVectors(), "vectors the open segment takes before it is sealed (a power of two): new "
            + "vectors are searchable at once by an exact scan of it, sealed segments get their graph in the background; "
            + "larger means fewer segments, slower scans of the newest vectors");
    public static final Setting<Integer> INDEX_MERGE_FACTOR = INDEX.integer("index.merge.factor",
            SegmentSettings.DEFAULTS.mergeFactor(), "sealed segments of about the same size that merge into one (Lucene's "
            + "segments per tier): higher means less merging, more segments to search");
    public static final Setting<Duration> INDEX_MERGE_IDLE_MS = INDEX.millis("index.merge.idle.ms",
            SegmentSettings.DEFAULTS.idleAfter(), "a partition without writes for this long seals its open segment (once it "
            + "holds `index.ann.min.size` vectors) and merges its segments into one, so an index at rest is searched through "
            + "a single graph");
    // Unset rather than a number: SegmentSettings' default is this machine's core count.
    public static final Setting<Optional<Integer>> INDEX_BUILD_THREADS = INDEX.optionalInteger("index.build.threads",
            "threads that build and merge graphs, shared by every partition of the instance (the first store to open sets "
            + "it); unset: one per core");
    public static final Setting<Duration> INDEX_PERSIST_INTERVAL_MS = INDEX.millis("index.persist.interval.ms",
            SegmentSettings.DEFAULTS.persistInterval(), "least time between two segment manifests of one partition (written "
            + "at commits; a restart replays the changelog after the last)");
    public static final Setting<Duration> INDEX_PERSIST_MAX_AGE_MS = INDEX.millis("index.persist.max.age.ms",
            SegmentSettings.DEFAULTS.maxStateAge(), "persisted segments whose manifest is older than this are rebuilt from "
            + "RocksDB instead of loaded: keep it below the vector topics' `delete.retention.ms`, or tombstones written since "
            + "may be compacted away before they are replayed");

    private static final Section HTTP = new Section("HTTP");
    public static final Setting<String> HTTP_HOST = HTTP.text("http.host", HttpSettings.DEFAULT.bindHost(),
            "interface the HTTP API listens on");
    public static final Setting<Integer> HTTP_PORT = HTTP.integer("http.port", HttpSettings.DEFAULT.port(), "HTTP port (also "
            + "the internal endpoint peers call); the API runs only on instances with the `index` role");
    public static final Setting<String> HTTP_ADVERTISED_HOST = HTTP.text("http.advertised.host", "localhost", "host peers use "
            + "to reach this instance (`application.server`): a name every other instance resolves, e.g. the pod's name "
            + "under a headless Service");
    public static final Setting<Long> HTTP_MAX_BODY_BYTES = HTTP.longValue("http.max.body.bytes",
            HttpSettings.DEFAULT.maxBodyBytes(), "largest request body");
    public static final Setting<Optional<String>> HTTP_AUTH_TOKEN = HTTP.secret("http.auth.token", "bearer token `/v1/*`, "
            + "`/metrics` and `/` require (`Authorization: Bearer <token>`), at least 16 characters; unset: open");
    public static final Setting<Optional<String>> HTTP_INTERNAL_TOKEN = HTTP.secret("http.internal.token", "bearer token "
            + "peers present on `/internal/v1/*`; set the same value on every instance; unset: open");
    public static final Setting<Boolean> HTTP_AUTH_HEALTH_OPEN = HTTP.bool("http.auth.health.open",
            HttpSettings.DEFAULT.healthOpen(), "`/health/*` and `/openapi.json` answer without a token (probes, load "
            + "balancers, client generators); `false` puts them behind `http.auth.token`");
    public static final Setting<Integer> HTTP_SEARCH_MAX_CONCURRENT = HTTP.integer("http.search.max.concurrent",
            HttpLimits.DEFAULT.searchConcurrency(), "searches and heat maps (`/v1/search`, `/v1/explain`, "
            + "`/v1/items/{id}/explain`) computed at once; `0`: two per CPU core");
    public static final Setting<Integer> HTTP_SEARCH_QUEUE_SIZE = HTTP.integer("http.search.queue.size",
            HttpLimits.DEFAULT.searchQueue(), "searches waiting for a turn (holding no thread); one more is answered at once "
            + "with `503` and `Retry-After`");
    public static final Setting<Duration> HTTP_SEARCH_QUEUE_TIMEOUT_MS = HTTP.millis("http.search.queue.timeout.ms",
            HttpLimits.DEFAULT.searchQueueTimeout(), "longest wait for a turn; then `503` with `Retry-After`");
    public static final Setting<Integer> HTTP_RETRY_AFTER_SECONDS = HTTP.integer("http.retry.after.seconds",
            HttpLimits.DEFAULT.retryAfterSeconds(), "the `Retry-After` of a refused search");
    public static final Setting<Integer> HTTP_MAX_CONNECTIONS = HTTP.integer("http.max.connections",
            HttpLimits.DEFAULT.maxConnections(), "open connections; beyond it new ones wait in the accept queue until some "
            + "close");
    public static final Setting<Duration> HTTP_IDLE_TIMEOUT_MS = HTTP.millis("http.idle.timeout.ms",
            HttpLimits.DEFAULT.idleTimeout(), "a connection that sends and reads nothing this long is closed (also between "
            + "keep-alive requests)");
    public static final Setting<Duration> HTTP_HEADER_TIMEOUT_MS = HTTP.millis("http.header.timeout.ms",
            HttpLimits.DEFAULT.headerTimeout(), "a request's line and headers must arrive within one to two times this, or "
            + "the connection is closed (slow clients)");
    public static final Setting<Duration> HTTP_REQUEST_TIMEOUT_MS = HTTP.millis("http.request.timeout.ms",
            HttpLimits.DEFAULT.requestTimeout(), "a request's body must arrive within this, else `408`");

    private static final Section SEARCH = new Section("Search");
    public static final Setting<Duration> SEARCH_TIMEOUT_MS = SEARCH.millis("search.timeout.ms", Duration.ofSeconds(5),
            "how long a search waits for peers before reporting their partitions missing");
    public static final Setting<Integer> SEARCH_MAX_K = SEARCH.integer("search.max.k", QueryLimits.DEFAULT.maxK(),
            "most hits per search");
    public static final Setting<Integer> SEARCH_MAX_FILTERS = SEARCH.integer("search.max.filters",
            QueryLimits.DEFAULT.maxFilters(), "most metadata filters per search");
    public static final Setting<Integer> SEARCH_MAX_TEXT_CHARS = SEARCH.integer("search.max.text.chars",
            QueryLimits.DEFAULT.maxTextChars(), "longest query text");
    public static final Setting<String> SEARCH_REPLY_TOPICS_ALLOWED = SEARCH.text("search.reply.topics.allowed", "", "topics "
            + "besides `topics.search.responses` a `SearchRequest` may name as `replyTopic`: names and prefixes ending in `*` "
            + "(`search.responses.*`; `*` alone: any), comma-separated. The service's own topics and internal topics are "
            + "refused whatever is listed; a refused or unusable reply topic is answered on `topics.search.responses` with an "
            + "error naming it (see Reply topics)");

    private static final Section HEALTH = new Section("Health");
    public static final Setting<Integer> HEALTH_THREAD_REPLACEMENTS_MAX = HEALTH.integer("health.thread.replacements.max",
            HealthSettings.DEFAULT.maxReplacements(), "stream thread replacements within the window an application may have; "
            + "one more and `/health/ready` answers 503 naming the application, task and input record (a thread that keeps "
            + "failing on the same record or outage)");
    public static final Setting<Duration> HEALTH_THREAD_REPLACEMENTS_WINDOW_MS = HEALTH.millis(
            "health.thread.replacements.window.ms", HealthSettings.DEFAULT.window(), "the window of "
            + "`health.thread.replacements.max`");

    /** The schema registry's settings, which {@link ClipstreamConfig} hands to {@link SchemaRegistryConfig} together. */
    static List<Setting<?>> schemaRegistry() {
        return SCHEMA_REGISTRY.settings();
    }

    /** Declares the settings listed under one heading of the reference. */
    private record Section(String name, List<Setting<?>> settings) {

        Section(String name) {
            this(name, new ArrayList<>());
        }

        Setting<String> text(String key, String defaultValue, String meaning) {
            return add(key, SettingType.TEXT, defaultValue, meaning, false);
        }

        Setting<Optional<String>> optionalText(String key, String meaning) {
            return add(key, SettingType.OPTIONAL_TEXT, Optional.empty(), meaning, false);
        }

        /** A credential: never printed, so it has no default to show either. */
        Setting<Optional<String>> secret(String key, String meaning) {
            return add(key, SettingType.OPTIONAL_TEXT, Optional.empty(), meaning, true);
        }

        Setting<Integer> integer(String key, int defaultValue, String meaning) {
            return add(key, SettingType.INTEGER, defaultValue, meaning, false);
        }

        Setting<Optional<Integer>> optionalInteger(String key, String meaning) {
            return add(key, SettingType.OPTIONAL_INTEGER, Optional.empty(), meaning, false);
        }

        Setting<Long> longValue(String key, long defaultValue, String meaning) {
            return add(key, SettingType.LONG, defaultValue, meaning, false);
        }

        Setting<Float> number(String key, float defaultValue, String meaning) {
            return add(key, SettingType.NUMBER, defaultValue, meaning, false);
        }

        Setting<Boolean> bool(String key, boolean defaultValue, String meaning) {
            return add(key, SettingType.BOOLEAN, defaultValue, meaning, false);
        }

        Setting<Duration> millis(String key, Duration defaultValue, String meaning) {
            return add(key, SettingType.MILLIS, defaultValue, meaning, false);
        }

        Setting<Path> path(String key, Path defaultValue, String meaning) {
            return add(key, SettingType.PATH, defaultValue, meaning, false);
        }

        Setting<Map<String, String>> prefix(String key, String meaning) {
            return add(key, SettingType.PREFIX, Map.of(), meaning, false);
        }

        private <T> Setting<T> add(String key, SettingType<T> type, T defaultValue, String meaning, boolean secret) {
            Setting<T> setting = new Setting<>(key, type, defaultValue, meaning, name, secret);
            settings.add(setting);
            ALL.add(setting);
            return setting;
        }
    }
}
