package io.clipstream.it;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.clipstream.config.ClipstreamConfig;
import io.clipstream.config.ConfigSource;
import io.clipstream.config.Settings;
import io.clipstream.embedded.EmbeddedKafkaBroker;
import io.clipstream.schema.CaptionEvent;
import io.clipstream.schemaregistry.HttpSchemaRegistryClient;
import io.clipstream.schemaregistry.InProcessSchemaRegistry;
import io.clipstream.schemaregistry.SchemaRegistryClient;
import io.clipstream.schemaregistry.SchemaRegistryConfig;
import io.clipstream.serde.AvroSerdes;
import io.clipstream.service.ClipstreamService;
import io.clipstream.testing.Await;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three instances on one broker, index standby replicas 1, bearer tokens on the REST API and the
 * peer endpoint. First a bounded load test (50 searches/s for 60 s, spread over the instances,
 * while captions are ingested), then a rebalance (one instance stopped, a new one started, while
 * searches keep coming at 50/s for 60 s). Both assert that no search fails; latency percentiles,
 * the share of partial answers and the longest gap without a complete answer are printed as
 * FIGURES lines for docs/RELIABILITY.md. Long on purpose: about two and a half minutes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterUnderLoadTest {

    static final String API_TOKEN = "load-test-api-token-0123456789";
    static final String INTERNAL_TOKEN = "load-test-peer-token-9876543210";
    static final int INITIAL_CAPTIONS = 600;
    static final Duration PHASE = Duration.ofSeconds(60);
    static final int RATE_PER_SECOND = 50;

    static EmbeddedKafkaBroker broker;
    static InProcessSchemaRegistry registry;
    static SchemaRegistryClient registryClient;
    static AvroSerdes serdes;
    static Path base;
    static final ClipstreamService[] instances = new ClipstreamService[4];
    static final int[] ports = {Rest.freePort(), Rest.freePort(), Rest.freePort(), Rest.freePort()};
    static final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final AtomicInteger captionsProduced = new AtomicInteger();

    @BeforeAll
    static void startCluster() throws Exception {
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
        base = Path.of("target", "it", "load-" + UUID.randomUUID());
        broker = EmbeddedKafkaBroker.start(base.resolve("kafka"));
        registry = new InProcessSchemaRegistry();
        registryClient = new HttpSchemaRegistryClient(SchemaRegistryConfig.of(registry.url().toString()));
        serdes = new AvroSerdes(registryClient, true);
        instances[0] = start(0, "embedder,index,responder");
        instances[1] = start(1, "index");
        instances[2] = start(2, "index");
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (int i = 0; i < INITIAL_CAPTIONS; i++) {
                sendCaption(producer);
            }
        }
        for (int i = 0; i < 3; i++) {
            int instance = i;
            Await.until(Duration.ofMinutes(2), "instance " + i + " to serve all " + INITIAL_CAPTIONS + " captions", () -> {
                Search s = search(ports[instance], 1000);
                return s.status() == 200 && !s.partial() && s.hits() >= INITIAL_CAPTIONS;
            });
        }
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (ClipstreamService instance : instances) {
            if (instance != null) {
                instance.close();
            }
        }
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        if (registryClient != null) {
            registryClient.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    static ClipstreamService start(int index, String roles) throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put("kafka.bootstrap.servers", broker.bootstrapServers());
        settings.put(SchemaRegistryConfig.URL, registry.url().toString());
        settings.put("app.id", "it-load");
        settings.put("roles", roles);
        settings.put("state.dir", base.resolve("state-" + index).toString());
        settings.put("topics.partitions", "6");
        settings.put("topics.replication.factor", "1");
        settings.put("index.standby.replicas", "1");
        settings.put("embedder.batch.size", "32");
        settings.put("embedder.batch.max.wait.ms", "100");
        settings.put(Settings.HTTP_PORT.key(), Integer.toString(ports[index]));
        settings.put(Settings.HTTP_HOST.key(), "127.0.0.1");
        settings.put(Settings.HTTP_ADVERTISED_HOST.key(), "localhost");
        settings.put(Settings.HTTP_AUTH_TOKEN.key(), API_TOKEN);
        settings.put(Settings.HTTP_INTERNAL_TOKEN.key(), INTERNAL_TOKEN);
        settings.put(Settings.MODEL_DIR.key(), "models/fixture-tiny");
        settings.put("kafka.session.timeout.ms", "10000");
        return ClipstreamService.start(ClipstreamConfig.from(ConfigSource.of(settings)));
    }

    static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
    }

    static void sendCaption(KafkaProducer<String, byte[]> producer) {
        int n = captionsProduced.getAndIncrement();
        String id = "cap-" + n;
        producer.send(new ProducerRecord<>("media.captions", id, serdes.captionEvent().serializer().serialize("media.captions",
                CaptionEvent.newBuilder().setId(id).setText("a photo of thing " + n + (n % 3 == 0 ? " on a beach" : " in a city")).build())));
    }

    /** One search's outcome; status -1 when no HTTP answer came. */
    record Search(long startedNanos, long endedNanos, int status, boolean partial, int hits, String error) {
        double millis() {
            return (endedNanos - startedNanos) / 1e6;
        }
    }

    /** A typical query: the top 10. */
    static Search search(int port) {
        return search(port, 10);
    }

    static Search search(int port, int k) {
        long started = System.nanoTime();
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/search"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + API_TOKEN)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"text\": \"a photo on a beach\", \"target\": \"TEXT\", \"k\": " + k + "}"))
                    .build();
            HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            long ended = System.nanoTime();
            if (response.statusCode() != 200) {
                return new Search(started, ended, response.statusCode(), false, 0, response.body());
            }
            JsonNode body = Rest.JSON.readTree(response.body());
            return new Search(started, ended, 200, !body.get("missingPartitions").isEmpty(), body.get("hits").size(), null);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return new Search(started, System.nanoTime(), -1, false, 0, e.toString());
        }
    }

    /**
     * Sends searches at a fixed rate for {@code duration} (open loop: a slow answer does not slow
     * the next request), each to the port {@code target} names, and returns every outcome.
     */
    static List<Search> drive(Duration duration, IntSupplier target, Runnable perTick) throws Exception {
        ConcurrentLinkedQueue<Search> results = new ConcurrentLinkedQueue<>();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
        try {
            ScheduledFuture<?> ticks = ticker.scheduleAtFixedRate(() -> {
                int port = target.getAsInt();
                senders.submit(() -> results.add(search(port)));
                perTick.run();
            }, 0, 1_000_000 / RATE_PER_SECOND, TimeUnit.MICROSECONDS);
            ticker.schedule(() -> ticks.cancel(false), duration.toMillis(), TimeUnit.MILLISECONDS).get();
        } finally {
            ticker.shutdownNow();
            senders.shutdown();
            assertTrue(senders.awaitTermination(60, TimeUnit.SECONDS), "searches finished");
        }
        return new ArrayList<>(results);
    }

    static double percentile(List<Search> searches, double p) {
        double[] sorted = searches.stream().mapToDouble(Search::millis).sorted().toArray();
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1)];
    }

    static List<Search> failures(List<Search> searches) {
        return searches.stream().filter(s -> s.status() != 200).toList();
    }

    @Test
    @Order(1)
    void fiftySearchesASecondForAMinuteWhileIngestingAnswerWithoutErrors() throws Exception {
        AtomicInteger next = new AtomicInteger();
        int before = captionsProduced.get();
        List<Search> searches;
        try (KafkaProducer<String, byte[]> producer = producer()) {
            // Two captions per search tick: 100 captions/s ingested while searching.
            searches = drive(PHASE, () -> ports[next.getAndIncrement() % 3], () -> {
                sendCaption(producer);
                sendCaption(producer);
            });
        }
        long partial = searches.stream().filter(Search::partial).count();
        System.out.printf("FIGURES load: %d searches in %d s (%.1f/s) over 3 instances while ingesting %d captions; errors %d; "
                        + "latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms; partial answers %d%n",
                searches.size(), PHASE.toSeconds(), searches.size() / (double) PHASE.toSeconds(), captionsProduced.get() - before,
                failures(searches).size(), percentile(searches, 50), percentile(searches, 90), percentile(searches, 99),
                percentile(searches, 100), partial);
        assertEquals(List.of(), failures(searches).stream().limit(5).toList(), failures(searches).size() + " searches failed");
        assertTrue(searches.size() >= RATE_PER_SECOND * PHASE.toSeconds() * 9 / 10, "the load was applied: " + searches.size());
    }

    @Test
    @Order(2)
    void searchesKeepAnsweringWhileAnInstanceLeavesAndAnotherJoins() throws Exception {
        AtomicInteger next = new AtomicInteger();
        ScheduledExecutorService events = Executors.newSingleThreadScheduledExecutor();
        long phaseStart = System.nanoTime();
        List<String> timeline = new ArrayList<>();
        try {
            // Instance 2 leaves after 15 s; a new instance 3 (empty state) joins after 35 s.
            var stop = events.schedule(() -> {
                instances[2].close();
                instances[2] = null;
                timeline.add(String.format("stopped instance 2 at %.1f s", (System.nanoTime() - phaseStart) / 1e9));
                return null;
            }, 15, TimeUnit.SECONDS);
            var join = events.schedule(() -> {
                instances[3] = start(3, "index");
                timeline.add(String.format("started instance 3 at %.1f s", (System.nanoTime() - phaseStart) / 1e9));
                return null;
            }, 35, TimeUnit.SECONDS);
            // The client asks the two instances that stay up, alternately.
            List<Search> searches = drive(PHASE, () -> ports[next.getAndIncrement() % 2], () -> { });
            stop.get();
            join.get();

            searches.sort(java.util.Comparator.comparingLong(Search::endedNanos));
            long partial = searches.stream().filter(Search::partial).count();
            long longestGap = 0;
            long lastComplete = phaseStart;
            for (Search s : searches) {
                if (s.status() == 200 && !s.partial()) {
                    longestGap = Math.max(longestGap, s.endedNanos() - lastComplete);
                    lastComplete = s.endedNanos();
                }
            }
            System.out.printf("FIGURES rebalance: %d searches in %d s, %s; errors %d; partial answers %d (%.2f%%); "
                            + "longest gap without a complete answer %.0f ms; latency p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    searches.size(), PHASE.toSeconds(), timeline, failures(searches).size(), partial, 100.0 * partial / searches.size(),
                    longestGap / 1e6, percentile(searches, 50), percentile(searches, 99), percentile(searches, 100));
            assertEquals(List.of(), failures(searches).stream().limit(5).toList(), failures(searches).size() + " searches failed");
            assertEquals(2, timeline.size(), "both membership changes happened during the searches: " + timeline);
            if (partial > 0) {
                // Partial answers are visible to operators, not only to the client that got them.
                double counted = partialSearchesCounted(ports[0]) + partialSearchesCounted(ports[1]);
                assertTrue(counted > 0, partial + " partial answers, none counted in clipstream_search_partial_total");
            }
        } finally {
            events.shutdownNow();
        }
        // The new member takes its share and the cluster answers completely again.
        Await.until(Duration.ofMinutes(2), "a complete answer from the new instance", () -> {
            Search s = search(ports[3]);
            return s.status() == 200 && !s.partial();
        });
    }

    @Test
    @Order(3)
    void tokensNeverReachTheLogs() {
        List<String> leaking = logs.list.stream()
                .map(e -> e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getMessage()))
                .filter(m -> m.contains(API_TOKEN) || m.contains(INTERNAL_TOKEN))
                .toList();
        assertTrue(logs.list.size() > 0, "the cluster logged something to check");
        assertEquals(List.of(), leaking);
        Search unauthorised = searchWithoutToken(ports[0]);
        assertEquals(401, unauthorised.status(), "the REST API is closed without the token");
    }

    /** The sum of clipstream_search_partial_total over the stores, from an instance's /metrics. */
    static double partialSearchesCounted(int port) throws Exception {
        HttpResponse<String> metrics = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .header("Authorization", "Bearer " + API_TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
        return metrics.body().lines().filter(line -> line.startsWith("clipstream_search_partial_total"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    static Search searchWithoutToken(int port) {
        try {
            HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/search"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"text\": \"x\"}")).build(), HttpResponse.BodyHandlers.ofString());
            return new Search(0, 0, response.statusCode(), false, 0, response.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
