package io.clipstream.embedded;

import io.clipstream.config.ClipstreamConfig;
import io.clipstream.config.ConfigSource;
import io.clipstream.config.Settings;
import io.clipstream.schemaregistry.InProcessSchemaRegistry;
import io.clipstream.schemaregistry.SchemaRegistryConfig;
import io.clipstream.service.ClipstreamService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Everything in one process with no outside service: a KRaft broker, a Confluent-compatible
 * schema registry, clipstream with all roles, and the demo corpus published through the real
 * topics. Each start begins from empty data under {@code dataDir}.
 */
public final class EmbeddedDemo implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDemo.class);
    /** The vocabulary the demo tags its corpus with (src/main/resources/demo/labels.txt). */
    public static final String DEMO_LABELS = "classpath:demo/labels.txt";

    private final EmbeddedKafkaBroker broker;
    private final InProcessSchemaRegistry registry;
    private volatile ClipstreamService service;
    private final ClipstreamConfig config;

    private EmbeddedDemo(EmbeddedKafkaBroker broker, InProcessSchemaRegistry registry, ClipstreamService service,
                         ClipstreamConfig config) {
        this.broker = broker;
        this.registry = registry;
        this.service = service;
        this.config = config;
    }

    /**
     * @param overrides settings on top of the environment (model.dir, http.port, ...)
     */
    public static EmbeddedDemo start(Path dataDir, Map<String, String> overrides) throws Exception {
        deleteRecursively(dataDir);
        Files.createDirectories(dataDir);
        EmbeddedKafkaBroker broker = null;
        InProcessSchemaRegistry registry = null;
        try {
            broker = EmbeddedKafkaBroker.start(dataDir.resolve("kafka"));
            registry = new InProcessSchemaRegistry();
            Map<String, String> settings = new HashMap<>();
            settings.put("kafka.bootstrap.servers", broker.bootstrapServers());
            settings.put(SchemaRegistryConfig.URL, registry.url().toString());
            settings.put("state.dir", dataDir.resolve("state").toString());
            settings.put("topics.replication.factor", "1");
            settings.put(Settings.HTTP_ADVERTISED_HOST.key(), "localhost");
            settings.put(Settings.EMBEDDER_BATCH_MAX_WAIT_MS.key(), "100");
            // Zero-shot tags for the bundled corpus, shown with each hit; set tagging.labels.file= (empty) to turn off.
            settings.put(Settings.TAGGING_LABELS_FILE.key(), DEMO_LABELS);
            settings.putAll(overrides);
            ClipstreamConfig config = ClipstreamConfig.from(ConfigSource.fromEnvironment().withOverrides(settings));
            ClipstreamService service = ClipstreamService.start(config);
            return new EmbeddedDemo(broker, registry, service, config);
        } catch (Exception | Error e) {
            if (registry != null) {
                registry.close();
            }
            if (broker != null) {
                broker.close();
            }
            throw e;
        }
    }

    /** Waits until every application is RUNNING. */
    public void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!service.ready()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("clipstream did not become ready within " + timeout + ": " + service.states());
            }
            Thread.sleep(100);
        }
    }

    /** Publishes the bundled corpus through the input topics; returns how many items. */
    public int publishCorpus() {
        int count = DemoCorpusLoader.publish(config);
        LOG.info("published {} demo images and {} captions", count, count);
        return count;
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public String schemaRegistryUrl() {
        return registry.url().toString();
    }

    public ClipstreamService service() {
        return service;
    }

    /**
     * Stops clipstream and starts it again on the same state directory, as an operator restarting one instance would;
     * the broker and the registry stay up. Returns once the new instance has started (not necessarily ready).
     */
    public void restartService() throws Exception {
        service.close();
        service = ClipstreamService.start(config);
    }

    public ClipstreamConfig config() {
        return config;
    }

    @Override
    public void close() throws Exception {
        close(ClipstreamService.CLOSE_TIMEOUT);
    }

    /**
     * Stops clipstream first (its HTTP server, then its applications, which leave their groups while the broker is
     * still there to hear it), then the registry, then the broker; clipstream's Kafka Streams applications share
     * {@code serviceTimeout}.
     */
    public void close(Duration serviceTimeout) throws Exception {
        try {
            service.close(serviceTimeout);
        } finally {
            try {
                registry.close();
            } finally {
                broker.close();
            }
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
