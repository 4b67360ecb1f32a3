package io.clipstream.service;

import io.clipstream.config.ClipstreamConfig;
import io.clipstream.config.ConfigException;
import io.clipstream.encoders.ClipModel;
import io.clipstream.fetch.ImageFetcher;
import io.clipstream.fetch.UrlPolicy;
import io.clipstream.http.HttpApi;
import io.clipstream.http.HttpPeerClient;
import io.clipstream.http.Readiness;
import io.clipstream.schemaregistry.HttpSchemaRegistryClient;
import io.clipstream.schemaregistry.SchemaRegistryClient;
import io.clipstream.explain.Explainer;
import io.clipstream.explain.MatchLocalizer;
import io.clipstream.search.ClusterItemImages;
import io.clipstream.search.ClusterSearcher;
import io.clipstream.search.ItemImages;
import io.clipstream.search.SearchService;
import io.clipstream.search.StoreNames;
import io.clipstream.serde.AvroSerdes;
import io.clipstream.schema.ImageAnnotation;
import io.clipstream.tagging.ZeroShotTagger;
import io.clipstream.topology.EmbedderRuntime;
import io.clipstream.topology.EmbedderTopology;
import io.clipstream.topology.StageTimes;
import io.clipstream.topology.FailedRecords;
import io.clipstream.topology.IndexTopology;
import io.clipstream.topology.ReplyTopicPolicy;
import io.clipstream.topology.ResponderTopology;
import io.clipstream.topology.ServedModel;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.clipstream.store.VectorRestoreLogger;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * One clipstream instance: the Kafka Streams applications its roles call for (embedder, index,
 * responder), the HTTP API when it indexes, and everything they share (model, registry client,
 * metrics). Closing it stops them in reverse order and frees all native memory.
 */
public final class ClipstreamService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClipstreamService.class);

    private final List<AutoCloseable> resources = new ArrayList<>();
    private volatile long closeDeadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
    private final Map<String, KafkaStreams> applications = new LinkedHashMap<>();
    private final FailedRecords failedRecords = new FailedRecords();
    private ThreadReplacements replacements;
    private HttpApi http;
    private SearchService search;
    private ItemImages itemImages;
    private StageTimes embedderTimes;

    private ClipstreamService() {
    }

    public static ClipstreamService start(ClipstreamConfig config) throws Exception {
        ClipstreamService service = new ClipstreamService();
        try {
            service.boot(config);
            return service;
        } catch (Exception | Error e) {
            service.close();
            throw e;
        }
    }

    private void boot(ClipstreamConfig config) throws Exception {
        if (config.roles().contains(ClipstreamConfig.Role.RESPONDER) && !config.roles().contains(ClipstreamConfig.Role.INDEX)) {
            throw new ConfigException("roles: the responder answers from the index's stores, so it runs beside the index role");
        }
        SchemaRegistryClient registry = new HttpSchemaRegistryClient(config.requireSchemaRegistry());
        resources.add(registry);
        AvroSerdes serdes = new AvroSerdes(registry, config.requireSchemaRegistry().autoRegister());
        Admin admin = Admin.create(StreamsProperties.common(config));
        resources.add(admin);
        TopicProvisioner topics = new TopicProvisioner(admin);
        if (config.kafka().createTopics()) {
            topics.ensure(config.topics(), config.kafka());
        }
        ClipModel model = ClipModel.open(config.encoder());
        resources.add(model);
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(metrics);
        replacements = new ThreadReplacements(config.health(), failedRecords, metrics, Clock.systemUTC());
        ImageFetcher fetcher = new ImageFetcher(config.fetch(), config.fetchConcurrency(), new UrlPolicy(config.fetchPolicy()));
        resources.add(fetcher);

        if (config.roles().contains(ClipstreamConfig.Role.EMBEDDER)) {
            ZeroShotTagger tagger = ZeroShotTagger.build(model.text(), config.tagging());
            if (tagger != null) {
                LOG.info("zero-shot tagging on: {} labels x {} templates, top {} per image to {}", tagger.labels().size(),
                        config.tagging().templates().size(), tagger.top(), config.topics().annotations());
            }
            embedderTimes = new StageTimes();
            // Registered before the application, so closed after it: its pools outlive every task.
            EmbedderRuntime runtime = config.prepareThreads() == 0 ? EmbedderRuntime.serial(model, embedderTimes)
                    : EmbedderRuntime.parallel(model, config.prepareThreads(), config.encoder().maxBatch(), embedderTimes);
            resources.add(runtime);
            EmbedderMetrics.bind(embedderTimes, metrics);
            LOG.info("embedder: batches of {} (or every {} ms), {} in flight per task, {}", config.batch().size(),
                    config.batch().maxWait().toMillis(), config.batch().inFlight(), runtime.isSerial()
                            ? "everything on the stream threads (embedder.prepare.threads=0)"
                            : runtime.threads() + " preparation threads and one model worker per tower");
            Topology topology = EmbedderTopology.build(config.topics(), config.batch(), model,
                    serdes.imageEvent().deserializer(), serdes.captionEvent().deserializer(), serdes.vectorRecord().serializer(), fetcher,
                    tagger, serdes.value(ImageAnnotation.class).serializer(),
                    config.watchlists().enabled() ? Watchlists.embedder(config, model, serdes, metrics) : null, runtime);
            register("embedder", topology, embedderProperties(config), metrics);
        }
        if (config.roles().contains(ClipstreamConfig.Role.INDEX)) {
            if (config.http().port() == 0) {
                throw new ConfigException("http.port=0 cannot be advertised to peers as application.server; choose a port");
            }
            HostInfo self = new HostInfo(config.advertisedHost(), config.http().port());
            Properties props = StreamsProperties.forApplication(config, "index");
            props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, Integer.toString(config.kafka().standbyReplicas()));
            props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
            IndexTopology.Application indexApp = IndexTopology.application(config.topics(),
                    new ServedModel(model.id(), model.dimension()), serdes.vectorDecoder(), props, config.ann(),
                    config.segments(), config.watchlists().enabled() ? Watchlists.index(serdes) : null);
            KafkaStreams index = register("index", indexApp.topology(), props, metrics);
            // Logs each partition's restore time (changelog replay and graph build); readiness stays false meanwhile.
            index.setGlobalStateRestoreListener(new VectorRestoreLogger(indexApp.stores()));
            IndexMetrics.bind(indexApp.stores(), IndexMetrics.activeTasksOf(index), metrics);
            HttpPeerClient peers = new HttpPeerClient(config.searchTimeout(), config.http().internalToken());
            ClusterSearcher cluster = ClusterSearcher.overStreams(index, self, peers,
                    Map.of(StoreNames.IMAGE_STORE, config.topics().imageVectors(), StoreNames.TEXT_STORE, config.topics().textVectors()),
                    topics::partitions, config.searchTimeout(), metrics);
            resources.add(cluster);
            search = new SearchService(model, cluster, fetcher);
            ClusterItemImages thumbnails = new ClusterItemImages(index, self, peers);
            itemImages = thumbnails;
            http = new HttpApi(config.http(), search, cluster.local(), thumbnails, readiness(), metrics, config.queryLimits());
            // Heat maps read the same stored thumbnails the page shows.
            http.explainWith(new Explainer(new MatchLocalizer(model), thumbnails, config.queryLimits().maxTextChars()));
            resources.add(http);
            if (config.watchlists().enabled()) {
                resources.add(Watchlists.mountBackfill(config, index, topics, http));
            }
        }
        if (config.roles().contains(ClipstreamConfig.Role.RESPONDER)) {
            Properties props = StreamsProperties.forApplication(config, "responder");
            ReplyTopicPolicy policy = new ReplyTopicPolicy(config.topics(), config.kafka().applicationId(), config.replyTopics());
            AdminReplyTopics replyTopics = new AdminReplyTopics(admin, StreamsProperties.producerMaxRequestBytes(props),
                    config.searchTimeout());
            Topology topology = ResponderTopology.build(config.topics(), search, config.queryLimits(),
                    serdes.searchRequest().deserializer(), serdes.searchResponse().serializer(), policy, replyTopics);
            register("responder", topology, props, metrics);
        }
        if (http == null) {
            // Embedder-only: no searches to serve, but probes and Prometheus still need an endpoint.
            http = HttpApi.operational(config.http(), readiness(), metrics);
            resources.add(http);
        }
        // Closed first (resources close in reverse), so that a thread pausing before its replacement does not hold up the stop.
        resources.add(replacements);
        for (KafkaStreams streams : applications.values()) {
            streams.start();
        }
        if (http != null) {
            http.start();
        }
        LOG.info("clipstream started: roles {}, model {} on {}, applications {}", config.roles(), model.id(), model.device(),
                applications.keySet());
    }

    /** Longest an embedder transaction may stay open unless the operator sets producer.transaction.timeout.ms. */
    static final int EMBEDDER_TRANSACTION_TIMEOUT_MS = 60_000;

    /**
     * When the model cannot keep up, an embedder stream thread waits inside a processing step for the oldest batch of
     * each of its tasks (that wait is the backpressure), so a step can take several model calls; under exactly-once the
     * step's transaction must outlast it, and Kafka Streams' default of 10 s is too short for a large model on CPU.
     */
    static Properties embedderProperties(ClipstreamConfig config) {
        Properties props = StreamsProperties.forApplication(config, "embedder");
        String prefixed = StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG);
        if (!props.containsKey(prefixed) && !props.containsKey(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG)) {
            props.put(prefixed, Integer.toString(EMBEDDER_TRANSACTION_TIMEOUT_MS));
        }
        return props;
    }

    private KafkaStreams register(String name, Topology topology, Properties props, PrometheusMeterRegistry metrics) {
        props.put(FailedRecords.CONFIG, failedRecords);
        KafkaStreams streams = new KafkaStreams(topology, props);
        String applicationId = props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        replacements.watch(name);
        streams.setUncaughtExceptionHandler(exception -> replacements.replace(name, applicationId, exception));
        KafkaStreamsMetrics binder = new KafkaStreamsMetrics(streams);
        binder.bindTo(metrics);
        resources.add(binder);
        // Leave the group on a clean stop: otherwise the group waits out session.timeout.ms before
        // handing this instance's partitions (and their standbys) to the others, and searches stay
        // partial for that long.
        resources.add(() -> streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(closeTimeLeft())));
        applications.put(name, streams);
        return streams;
    }

    private Duration closeTimeLeft() {
        return Duration.ofNanos(Math.max(0, closeDeadline - System.nanoTime()));
    }

    /** Each application's Kafka Streams state. */
    public Map<String, String> states() {
        Map<String, String> states = new LinkedHashMap<>();
        applications.forEach((name, streams) -> states.put(name, streams.state().name()));
        return states;
    }

    public Readiness readiness() {
        return new Readiness() {
            @Override
            public Map<String, String> states() {
                return ClipstreamService.this.states();
            }

            @Override
            public List<FailingThreads> failing() {
                return replacements.failing();
            }
        };
    }

    /** Stream threads of {@code application} replaced since start (a thread that died and was started anew). */
    public long threadReplacements(String application) {
        return replacements == null ? 0 : replacements.total(application);
    }

    public boolean ready() {
        return readiness().ready();
    }

    public int httpPort() {
        return http == null ? -1 : http.port();
    }

    public SearchService search() {
        return search;
    }

    /** Where the embedder's time went so far, by stage; null unless this instance runs the embedder role. */
    public StageTimes embedderTimes() {
        return embedderTimes;
    }

    /** Indexed items' stored images (thumbnails), cluster-wide; null unless this instance runs the index role. */
    public ItemImages itemImages() {
        return itemImages;
    }

    /** What {@link #close()} allows the whole stop: Kubernetes' default grace period. */
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    @Override
    public void close() {
        close(CLOSE_TIMEOUT);
    }

    /**
     * Closes everything in reverse order of start, the Kafka Streams applications sharing {@code timeout}: each
     * waits for its threads only as long as is left of it, so several applications cannot add up their waits (they
     * did, 30 s each).
     */
    public void close(Duration timeout) {
        closeDeadline = System.nanoTime() + timeout.toNanos();
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", resources.get(i), e.toString());
            }
        }
        resources.clear();
    }
}
