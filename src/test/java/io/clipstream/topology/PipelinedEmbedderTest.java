package io.clipstream.topology;

import io.clipstream.common.VectorRecords;
import com.sun.net.httpserver.HttpServer;
import io.clipstream.encoders.ClipModel;
import io.clipstream.encoders.EncoderSettings;
import io.clipstream.fetch.FetchConcurrency;
import io.clipstream.fetch.FetchLimits;
import io.clipstream.fetch.ImageFetcher;
import io.clipstream.fetch.UrlPolicy;
import io.clipstream.fetch.UrlPolicySettings;
import io.clipstream.schema.CaptionEvent;
import io.clipstream.schema.ImageAnnotation;
import io.clipstream.schema.ImageEvent;
import io.clipstream.schema.VectorRecord;
import io.clipstream.serde.RegistryFailures;
import io.clipstream.tagging.TaggingSettings;
import io.clipstream.tagging.ZeroShotTagger;
import io.clipstream.testing.Await;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.clipstream.topology.EmbedderTopologyTest.captionEvent;
import static io.clipstream.topology.EmbedderTopologyTest.fixtureImage;
import static io.clipstream.topology.EmbedderTopologyTest.header;
import static io.clipstream.topology.EmbedderTopologyTest.imageEvent;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pipelined embedder (preparation on a pool from the moment a record is buffered, model calls
 * on the shared worker, batches in flight while the next fills) against the serial one: the same
 * records out, in the same order, exactly once; versions replaced while in flight never come out;
 * a host that never answers or answers too slowly costs one fetch timeout, not one per event.
 */
class PipelinedEmbedderTest {

    static final int BATCH = 4;
    static final Duration MAX_WAIT = Duration.ofMillis(500);
    static final Duration DRAINED = Duration.ofSeconds(60);

    static ClipModel model;
    static ZeroShotTagger tagger;

    final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeAll
    static void openModel() {
        model = ClipModel.open(EncoderSettings.cpu(java.nio.file.Path.of("models/fixture-tiny")));
        tagger = ZeroShotTagger.build(model.text(), new TaggingSettings(List.of("apple", "boat", "cat", "tree"),
                TaggingSettings.DEFAULT_TEMPLATES, 2));
    }

    @AfterAll
    static void closeModel() {
        model.close();
    }

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    /** One embedder under test with its topics. */
    record Driven(TopologyTestDriver driver, TestInputTopic<String, byte[]> images, TestInputTopic<String, byte[]> captions,
                  TestOutputTopic<String, VectorRecord> imageVectors, TestOutputTopic<String, VectorRecord> textVectors,
                  TestOutputTopic<String, byte[]> deadLetters, TestOutputTopic<String, byte[]> thumbnails,
                  TestOutputTopic<String, ImageAnnotation> annotations) {

        KeyValueStore<String, byte[]> buffer() {
            return driver.getKeyValueStore(EmbedderTopology.IMAGE_BUFFER);
        }
    }

    Driven drive(String name, BatchSettings batch, EmbedderRuntime runtime, ImageFetcher fetcher, Deserializer<ImageEvent> events) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, name);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, "target/streams-state/" + name);
        Topics topics = Topics.DEFAULT;
        TopologyTestDriver driver = new TopologyTestDriver(EmbedderTopology.build(topics, batch, model, events,
                PlainAvro.deserializer(CaptionEvent.class), PlainAvro.serializer(VectorRecord.class), fetcher, tagger,
                PlainAvro.serializer(ImageAnnotation.class), null, runtime), props);
        closing.add(driver::close);
        return new Driven(driver,
                driver.createInputTopic(topics.images(), Serdes.String().serializer(), Serdes.ByteArray().serializer()),
                driver.createInputTopic(topics.captions(), Serdes.String().serializer(), Serdes.ByteArray().serializer()),
                driver.createOutputTopic(topics.imageVectors(), Serdes.String().deserializer(), PlainAvro.deserializer(VectorRecord.class)),
                driver.createOutputTopic(topics.textVectors(), Serdes.String().deserializer(), PlainAvro.deserializer(VectorRecord.class)),
                driver.createOutputTopic(topics.deadLetters(), Serdes.String().deserializer(), Serdes.ByteArray().deserializer()),
                driver.createOutputTopic(topics.thumbnails(), Serdes.String().deserializer(), Serdes.ByteArray().deserializer()),
                driver.createOutputTopic(topics.annotations(), Serdes.String().deserializer(), PlainAvro.deserializer(ImageAnnotation.class)));
    }

    EmbedderRuntime parallel() {
        EmbedderRuntime runtime = EmbedderRuntime.parallel(model, 2, 32, new StageTimes());
        closing.add(runtime);
        return runtime;
    }

    ImageFetcher fetcher(Duration timeout, FetchConcurrency concurrency) {
        ImageFetcher fetcher = new ImageFetcher(new FetchLimits(1 << 20, timeout, 2), concurrency, new UrlPolicy(UrlPolicySettings.ALLOW_PRIVATE));
        closing.add(fetcher);
        return fetcher;
    }

    /** An image server on loopback answering with the body {@code image} gives for each path (null: 404); its base URL. */
    String imageServer(ImageAnswer image) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            try {
                byte[] body = image.answer(exchange.getRequestURI().getPath());
                if (body == null) {
                    exchange.sendResponseHeaders(404, -1);
                } else {
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                }
            } catch (Exception e) {
                exchange.sendResponseHeaders(500, -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
        closing.add(() -> server.stop(0));
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @FunctionalInterface
    interface ImageAnswer {
        byte[] answer(String path) throws Exception;
    }

    /** An image server whose answers take 0 to 60 ms, different per path, so URL preparations finish out of order. */
    String jitteryImageServer() throws Exception {
        return imageServer(path -> {
            Thread.sleep(Math.floorMod(path.hashCode(), 7) * 10L); // the server's latency, not synchronisation
            return path.startsWith("/missing") ? null : fixtureImage(Integer.parseInt(path.replaceAll("\\D", "")) % 20);
        });
    }

    /** The URL of an image whose server answers only once {@code release} opens; counts the answers. */
    String heldImageServer(CountDownLatch release, AtomicInteger answered) throws IOException {
        return imageServer(path -> {
            release.await(30, TimeUnit.SECONDS);
            answered.incrementAndGet();
            return fixtureImage(5);
        }) + "/held.png";
    }

    /** Flushes the open batch and advances the clock until nothing is buffered or in flight. */
    static void drain(Driven driven) throws InterruptedException {
        driven.driver().advanceWallClockTime(MAX_WAIT);
        Await.until(DRAINED, "the embedder to send everything it buffered", () -> {
            driven.driver().advanceWallClockTime(BatchingEmbedProcessor.DRAIN_INTERVAL);
            return isEmpty(driven.buffer()) && isEmpty(driven.driver().getKeyValueStore(EmbedderTopology.CAPTION_BUFFER));
        });
    }

    static boolean isEmpty(KeyValueStore<String, byte[]> store) {
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            return !all.hasNext();
        }
    }

    static void pipeMixedWorkload(Driven t, String base) throws Exception {
        for (int i = 0; i < 60; i++) {
            String key = String.format("item-%02d", (i * 37) % 60); // arrival order differs from key order
            if (i % 13 == 5) {
                t.images().pipeInput(key, "not avro".getBytes(StandardCharsets.UTF_8));
            } else if (i % 17 == 9) {
                t.images().pipeInput(key, imageEvent(key, null, base + "/missing-" + i + ".png"));
            } else if (i % 3 == 0) {
                t.images().pipeInput(key, imageEvent(key, null, base + "/img-" + i + ".png"));
            } else {
                t.images().pipeInput(key, imageEvent(key, fixtureImage(i % 20), null));
            }
            if (i % 4 == 0) {
                t.captions().pipeInput("cap-" + i, captionEvent("cap-" + i, "caption " + i + " of a mixed batch"));
            }
        }
    }

    @Test
    void batchesComeOutInTheSerialEmbeddersOrderExactlyOnce() throws Exception {
        String base = jitteryImageServer();
        Driven serial = drive("pipelined-test-serial", new BatchSettings(BATCH, MAX_WAIT), EmbedderTopology.serial(model),
                fetcher(Duration.ofSeconds(5), FetchConcurrency.DEFAULT), PlainAvro.deserializer(ImageEvent.class));
        Driven pipelined = drive("pipelined-test-parallel", new BatchSettings(BATCH, MAX_WAIT, 3), parallel(),
                fetcher(Duration.ofSeconds(5), FetchConcurrency.DEFAULT), PlainAvro.deserializer(ImageEvent.class));
        pipeMixedWorkload(serial, base);
        pipeMixedWorkload(pipelined, base);
        drain(serial);
        drain(pipelined);

        List<KeyValue<String, VectorRecord>> expected = serial.imageVectors().readKeyValuesToList();
        List<KeyValue<String, VectorRecord>> actual = pipelined.imageVectors().readKeyValuesToList();
        assertTrue(expected.size() > 40, "most of the workload is good images: " + expected.size());
        assertEquals(keys(expected), keys(actual), "image vectors: same ids in the same order");
        assertEquals(expected.size(), new HashSet<>(keys(actual)).size(), "each exactly once");
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(VectorRecords.toArray(expected.get(i).value.getVector()), VectorRecords.toArray(actual.get(i).value.getVector()),
                    1e-5f, "vector of " + expected.get(i).key);
            assertEquals(expected.get(i).value.getLabels(), actual.get(i).value.getLabels(), "labels of " + expected.get(i).key);
            assertEquals(expected.get(i).value.getImageUrl(), actual.get(i).value.getImageUrl());
        }
        assertEquals(keys(serial.textVectors().readKeyValuesToList()), keys(pipelined.textVectors().readKeyValuesToList()));
        List<TestRecord<String, byte[]>> serialLetters = serial.deadLetters().readRecordsToList();
        List<TestRecord<String, byte[]>> pipelinedLetters = pipelined.deadLetters().readRecordsToList();
        assertEquals(serialLetters.stream().map(r -> r.key() + " " + header(r, "clipstream.dlq.reason.code")).toList(),
                pipelinedLetters.stream().map(r -> r.key() + " " + header(r, "clipstream.dlq.reason.code")).toList(),
                "dead letters: same ids, order and reasons");
        assertTrue(pipelinedLetters.stream().anyMatch(r -> "FETCH_FAILED".equals(header(r, "clipstream.dlq.reason.code"))));
        for (int i = 0; i < serialLetters.size(); i++) {
            assertArrayEquals(serialLetters.get(i).value(), pipelinedLetters.get(i).value(), "original bytes");
        }
        assertEquals(keys(serial.thumbnails().readKeyValuesToList()), keys(pipelined.thumbnails().readKeyValuesToList()));
        assertEquals(keys(serial.annotations().readKeyValuesToList()), keys(pipelined.annotations().readKeyValuesToList()));
    }

    static <V> List<String> keys(List<KeyValue<String, V>> records) {
        return records.stream().map(kv -> kv.key).toList();
    }

    @Test
    void aTombstoneOrANewerVersionCancelsAVersionStillBeingFetched() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger fetched = new AtomicInteger();
        String held = heldImageServer(release, fetched);
        Driven t = drive("pipelined-test-cancel", new BatchSettings(BATCH, MAX_WAIT, 2), parallel(),
                fetcher(Duration.ofSeconds(30), FetchConcurrency.DEFAULT), PlainAvro.deserializer(ImageEvent.class));

        // A full batch whose first image is still being fetched: sealed, in flight.
        t.images().pipeInput("deleted", imageEvent("deleted", null, held));
        t.images().pipeInput("updated-sealed", imageEvent("updated-sealed", null, held));
        t.images().pipeInput("a", imageEvent("a", fixtureImage(0), null));
        t.images().pipeInput("b", imageEvent("b", fixtureImage(1), null));
        // While it waits: a tombstone for one of its images, a newer version of another,
        // and, in the batch being filled, a version replaced before its fetch answered.
        t.images().pipeInput("deleted", (byte[]) null);
        t.images().pipeInput("updated-sealed", imageEvent("updated-sealed", fixtureImage(2), null));
        t.images().pipeInput("updated-open", imageEvent("updated-open", null, held));
        t.images().pipeInput("updated-open", imageEvent("updated-open", fixtureImage(3), null));
        release.countDown();
        drain(t);

        List<TestRecord<String, VectorRecord>> out = t.imageVectors().readRecordsToList();
        List<String> vectorKeys = out.stream().filter(r -> r.value() != null).map(TestRecord::key).sorted().toList();
        assertEquals(List.of("a", "b", "updated-open", "updated-sealed"), vectorKeys, "one vector per live id, none for the deleted one");
        List<TestRecord<String, VectorRecord>> deleted = out.stream().filter(r -> r.key().equals("deleted")).toList();
        assertEquals(1, deleted.size(), "the deleted id only gets its tombstone: " + deleted);
        assertNull(deleted.get(0).value());
        for (TestRecord<String, VectorRecord> r : out) {
            if (r.key().startsWith("updated")) {
                assertNull(r.value().getImageUrl(), "the newer version (bytes) came out, not the replaced one (URL): " + r.key());
            }
        }
        assertTrue(t.deadLetters().isEmpty());
        assertTrue(isEmpty(t.buffer()), "nothing left behind in the buffer");
        assertTrue(fetched.get() >= 2, "the held fetches did answer; their results were dropped");
    }

    @Test
    void aHostThatNeverAnswersAndOneThatDripsCostTheirOwnEventsOneTimeoutInAll() throws Exception {
        ServerSocket dead = silentServer(false);
        ServerSocket dripping = silentServer(true);
        Duration timeout = Duration.ofSeconds(1);
        FetchConcurrency concurrency = new FetchConcurrency(64, 4, 3, Duration.ofSeconds(60));
        Driven t = drive("pipelined-test-hosts", new BatchSettings(BATCH, MAX_WAIT, 2), parallel(), fetcher(timeout, concurrency),
                PlainAvro.deserializer(ImageEvent.class));
        int batches = 12;
        long started = System.nanoTime();
        for (int b = 0; b < batches; b++) {
            t.images().pipeInput(key(b, 0), imageEvent(key(b, 0), null, "http://127.0.0.1:" + dead.getLocalPort() + "/x-" + b + ".png"));
            t.images().pipeInput(key(b, 1), imageEvent(key(b, 1), null, "http://127.0.0.1:" + dripping.getLocalPort() + "/y-" + b + ".png"));
            t.images().pipeInput(key(b, 2), imageEvent(key(b, 2), fixtureImage(b % 20), null));
            t.images().pipeInput(key(b, 3), imageEvent(key(b, 3), fixtureImage((b + 7) % 20), null));
        }
        drain(t);
        double seconds = (System.nanoTime() - started) / 1e9;

        List<String> vectors = keys(t.imageVectors().readKeyValuesToList());
        List<TestRecord<String, byte[]>> letters = t.deadLetters().readRecordsToList();
        List<String> expectedVectors = new ArrayList<>();
        List<String> expectedLetters = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            expectedLetters.add(key(b, 0));
            expectedLetters.add(key(b, 1));
            expectedVectors.add(key(b, 2));
            expectedVectors.add(key(b, 3));
        }
        assertEquals(expectedVectors, vectors, "every inline image, in batch order");
        assertEquals(expectedLetters, letters.stream().map(TestRecord::key).toList(), "every event of the two bad hosts, in batch order");
        assertTrue(letters.stream().allMatch(r -> "FETCH_FAILED".equals(header(r, "clipstream.dlq.reason.code"))));
        assertTrue(letters.stream().anyMatch(r -> header(r, "clipstream.dlq.reason").contains("fetch.circuit.failures")),
                "later events of those hosts were refused by the open circuit");
        int firstRound = concurrency.maxPerHost() + concurrency.circuitFailures() - 1;
        assertTrue(connections(dead) <= firstRound && connections(dripping) <= firstRound,
                "only a first round reached each bad host: " + connections(dead) + " and " + connections(dripping));
        // Serially the 24 bad events would cost 24 timeouts; generous bound: 3.
        assertTrue(seconds < 3 * timeout.toSeconds(), "took " + seconds + " s");
    }

    static String key(int batch, int slot) {
        return String.format("b%02d-%d", batch, slot);
    }

    final java.util.Map<ServerSocket, AtomicInteger> accepted = new java.util.concurrent.ConcurrentHashMap<>();

    int connections(ServerSocket server) {
        return accepted.get(server).get();
    }

    /** Accepts connections and never answers, or (drip) answers one body byte every 300 ms, never finishing in time. */
    ServerSocket silentServer(boolean drip) throws IOException {
        ServerSocket listener = new ServerSocket(0, 256, java.net.InetAddress.getLoopbackAddress());
        closing.add(listener);
        AtomicInteger count = new AtomicInteger();
        accepted.put(listener, count);
        List<Socket> sockets = new CopyOnWriteArrayList<>();
        closing.add(() -> sockets.forEach(s -> {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }));
        Thread.ofVirtual().start(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket socket = listener.accept();
                    count.incrementAndGet();
                    sockets.add(socket);
                    if (drip) {
                        Thread.ofVirtual().start(() -> dripTo(socket));
                    }
                } catch (IOException e) {
                    // closed at the end of the test
                }
            }
        });
        return listener;
    }

    static void dripTo(Socket socket) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 1000\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            for (int i = 0; i < 1000 && !socket.isClosed(); i++) {
                Thread.sleep(300); // the server's slowness
                out.write(0x89);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // the client gave up
        }
    }

    @Test
    void aRegistryOutageFailsTheTaskInsteadOfDeadLetteringGoodRecords() throws Exception {
        Deserializer<ImageEvent> down = (topic, data) -> {
            throw RegistryOutageTest.outage();
        };
        Driven t = drive("pipelined-test-outage", new BatchSettings(1, MAX_WAIT, 2), parallel(),
                fetcher(Duration.ofSeconds(5), FetchConcurrency.DEFAULT), down);
        RuntimeException failure;
        try {
            // The failed preparation surfaces when its batch would be sent: in this step or a later one.
            t.images().pipeInput("good", imageEvent("good", fixtureImage(0), null));
            failure = Await.until(DRAINED, "the outage to fail the task", () -> {
                try {
                    t.driver().advanceWallClockTime(BatchingEmbedProcessor.DRAIN_INTERVAL);
                    return Optional.empty();
                } catch (RuntimeException e) {
                    return Optional.of(e);
                }
            });
        } catch (RuntimeException e) {
            failure = e;
        }
        assertTrue(RegistryFailures.isTransient(failure), failure.toString());
        assertTrue(t.deadLetters().isEmpty(), "a good record must not be dead-lettered because the registry is down");
        assertTrue(t.imageVectors().isEmpty());
    }

    @Test
    void nothingIsSentBeforeItsBatchIsEmbeddedAndTheBufferHoldsWhatIsInFlight() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        String held = heldImageServer(release, new AtomicInteger());
        EmbedderRuntime runtime = parallel();
        Driven t = drive("pipelined-test-held", new BatchSettings(BATCH, MAX_WAIT, 2), runtime,
                fetcher(Duration.ofSeconds(30), FetchConcurrency.DEFAULT), PlainAvro.deserializer(ImageEvent.class));
        t.images().pipeInput("k0", imageEvent("k0", null, held));
        for (int i = 1; i < 8; i++) {
            t.images().pipeInput("k" + i, imageEvent("k" + i, fixtureImage(i), null));
        }
        // Two sealed batches in flight: the first waits for its fetch; the second is embedded and must wait behind it.
        Await.until(DRAINED, "the second batch to be embedded", () -> {
            t.driver().advanceWallClockTime(BatchingEmbedProcessor.DRAIN_INTERVAL);
            return runtime.times().total(EmbedderStage.IMAGE_MODEL).items() >= 4;
        });
        t.driver().advanceWallClockTime(BatchingEmbedProcessor.DRAIN_INTERVAL);
        assertTrue(t.imageVectors().isEmpty(), "batches go out in order: none before the first");
        Set<String> buffered = new HashSet<>();
        try (KeyValueIterator<String, byte[]> all = t.buffer().all()) {
            all.forEachRemaining(kv -> buffered.add(kv.key));
        }
        assertEquals(Set.of("k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7"), buffered, "everything in flight is still in the buffer");
        release.countDown();
        drain(t);
        assertEquals(Arrays.asList("k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7"), keys(t.imageVectors().readKeyValuesToList()));
    }
}
