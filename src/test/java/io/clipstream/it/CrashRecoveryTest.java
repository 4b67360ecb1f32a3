package io.clipstream.it;

import io.clipstream.embedded.EmbeddedKafkaBroker;
import io.clipstream.schema.CaptionEvent;
import io.clipstream.schema.ImageEvent;
import io.clipstream.schemaregistry.HttpSchemaRegistryClient;
import io.clipstream.schemaregistry.InProcessSchemaRegistry;
import io.clipstream.schemaregistry.SchemaRegistryClient;
import io.clipstream.schemaregistry.SchemaRegistryConfig;
import io.clipstream.serde.AvroSerdes;
import io.clipstream.testing.Await;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exactly once under crashes: 21,100 events (captions, small images inline and by URL, and bad
 * events mixed in, URLs that answer 404 among them) are indexed by an embedder running in a
 * separate JVM ({@code clipstream serve}, the pipelined embedder with its defaults: preparation on a
 * pool from the moment a record is buffered, batches in flight while the next fills) that is killed
 * with SIGKILL three times mid-stream and restarted each time. The images by URL come from a server
 * in this JVM that takes up to 30 ms an answer, so fetches are in flight when the embedder dies.
 * Afterwards a read_committed reader finds every good event as exactly one vector and every bad
 * one as exactly one dead letter: no duplicates, no losses, no vector from a bad event. Takes one
 * to two minutes (four JVM starts, each crash waits out the dead instance's session and
 * transaction timeouts).
 */
class CrashRecoveryTest {

    static final int CAPTIONS = 18_600;
    static final int IMAGES = 1_000;
    static final int BAD = 400;
    static final int URL_IMAGES = 1_000;
    static final int BAD_URLS = 100;
    static final int TOTAL = CAPTIONS + IMAGES + BAD + URL_IMAGES + BAD_URLS;
    static final double[] KILL_AT = {0.15, 0.40, 0.65};
    static final Duration WAIT = Duration.ofMinutes(3);
    static final List<String> OUTPUTS = List.of("vectors.image", "vectors.text", "clipstream.dlq");

    @Test
    void sigkilledEmbedderIndexesEveryEventExactlyOnce() throws Exception {
        Path base = Path.of("target", "it", "crash-" + UUID.randomUUID()).toAbsolutePath();
        Files.createDirectories(base);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(base.resolve("kafka"));
             InProcessSchemaRegistry registry = new InProcessSchemaRegistry();
             SchemaRegistryClient registryClient = new HttpSchemaRegistryClient(SchemaRegistryConfig.of(registry.url().toString()));
             Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()))) {
            List<NewTopic> topics = new ArrayList<>();
            for (String topic : List.of("media.images", "media.captions", "vectors.image", "vectors.text", "clipstream.dlq")) {
                topics.add(new NewTopic(topic, 4, (short) 1));
            }
            admin.createTopics(topics).all().get();
            HttpServer images = imageServer();
            Set<String> bad;
            try {
                bad = produce(broker.bootstrapServers(), new AvroSerdes(registryClient, true),
                        "http://127.0.0.1:" + images.getAddress().getPort());
            } catch (Exception | Error e) {
                images.stop(0);
                throw e;
            }

            Map<String, String> env = new HashMap<>();
            env.put("CLIPSTREAM_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
            env.put("CLIPSTREAM_SCHEMA_REGISTRY_URL", registry.url().toString());
            env.put("CLIPSTREAM_APP_ID", "it-crash");
            env.put("CLIPSTREAM_ROLES", "embedder");
            // Embedder-only instances still serve health and metrics; several run at once here.
            env.put("CLIPSTREAM_HTTP_PORT", "0");
            env.put("CLIPSTREAM_STATE_DIR", base.resolve("state").toString());
            env.put("CLIPSTREAM_TOPICS_PARTITIONS", "4");
            env.put("CLIPSTREAM_TOPICS_REPLICATION_FACTOR", "1");
            env.put("CLIPSTREAM_MODEL_DIR", Path.of("models/fixture-tiny").toAbsolutePath().toString());
            env.put("CLIPSTREAM_EMBEDDER_BATCH_SIZE", "64");
            // The image server is this JVM, on loopback: allowed by address, as an operator would allow an internal store.
            env.put("CLIPSTREAM_FETCH_ALLOWED_HOSTS", "127.0.0.1/32");
            env.put("CLIPSTREAM_KAFKA_NUM_STREAM_THREADS", "2");
            // A dead member is noticed after its session timeout; keep it short so the test is too.
            env.put("CLIPSTREAM_KAFKA_SESSION_TIMEOUT_MS", "6000");
            env.put("CLIPSTREAM_KAFKA_HEARTBEAT_INTERVAL_MS", "1000");

            long started = System.nanoTime();
            List<String> killedAt = new ArrayList<>();
            try (AutoCloseable stopImages = () -> images.stop(0);
                 CommittedOutputs outputs = new CommittedOutputs(broker.bootstrapServers(), OUTPUTS)) {
                for (int run = 0; run < KILL_AT.length; run++) {
                    Process embedder = launch(env, base.resolve("embedder-" + run + ".log"));
                    int threshold = (int) (TOTAL * KILL_AT[run]);
                    try {
                        Await.until(WAIT, "run " + run + " to index " + threshold + " events (log: " + base.resolve("embedder-" + run + ".log") + ")",
                                () -> {
                                    if (!embedder.isAlive()) {
                                        throw new IllegalStateException("the embedder exited with " + embedder.exitValue());
                                    }
                                    return outputs.distinctKeys() >= threshold;
                                });
                    } finally {
                        embedder.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no clean close
                        embedder.waitFor();
                    }
                    killedAt.add(outputs.distinctKeys() + " keys / " + outputs.records() + " records");
                }
                Process last = launch(env, base.resolve("embedder-final.log"));
                try {
                    Await.until(WAIT, "the last run to consume every input event", () -> {
                        if (!last.isAlive()) {
                            throw new IllegalStateException("the embedder exited with " + last.exitValue());
                        }
                        return inputsConsumed(admin);
                    });
                    // Consumed is not embedded: the last records may still wait in the changelogged buffer for their
                    // batch. Follow the outputs until every key has one; if that never happens, the assertions below
                    // name what is missing.
                    Await.within(WAIT, () -> outputs.distinctKeys() >= TOTAL || !last.isAlive());
                    outputs.catchUp(committedEnds(admin, outputs.partitions()));
                } finally {
                    last.destroyForcibly();
                    last.waitFor();
                }
                double seconds = (System.nanoTime() - started) / 1e9;

                Map<String, Integer> imageVectors = outputs.counts("vectors.image");
                Map<String, Integer> texts = outputs.counts("vectors.text");
                Map<String, Integer> letters = outputs.counts("clipstream.dlq");
                List<String> duplicates = new ArrayList<>();
                List<String> lost = new ArrayList<>();
                List<String> wrong = new ArrayList<>();
                for (String key : allKeys()) {
                    int vectors = imageVectors.getOrDefault(key, 0) + texts.getOrDefault(key, 0);
                    int dead = letters.getOrDefault(key, 0);
                    if (vectors + dead == 0) {
                        lost.add(key);
                    } else if (vectors + dead > 1) {
                        duplicates.add(key + "=" + vectors + "+" + dead);
                    } else if (bad.contains(key) != (dead == 1)) {
                        wrong.add(key + (dead == 1 ? " dead-lettered" : " indexed"));
                    }
                }
                int outputRecords = imageVectors.values().stream().mapToInt(i -> i).sum() + texts.values().stream().mapToInt(i -> i).sum()
                        + letters.values().stream().mapToInt(i -> i).sum();
                System.out.printf("FIGURES crash: %d events (%d captions, %d images inline and %d by URL, %d bad and %d URLs answering 404), "
                                + "3 SIGKILLs at %s, %.1f s in all; %d image requests served; committed outputs %d (%d image vectors, "
                                + "%d text vectors, %d dead letters); duplicates %d, lost %d, misrouted %d%n",
                        TOTAL, CAPTIONS, IMAGES, URL_IMAGES, BAD, BAD_URLS, killedAt, seconds, served.get(), outputRecords,
                        imageVectors.size(), texts.size(), letters.size(), duplicates.size(), lost.size(), wrong.size());
                assertEquals(List.of(), duplicates.stream().limit(20).toList(), duplicates.size() + " duplicated");
                assertEquals(List.of(), lost.stream().limit(20).toList(), lost.size() + " lost");
                assertEquals(List.of(), wrong.stream().limit(20).toList(), wrong.size() + " misrouted");
                assertEquals(TOTAL, outputRecords, "one committed output per event");
                assertEquals(IMAGES + URL_IMAGES, imageVectors.size());
                assertEquals(CAPTIONS, texts.size());
                assertEquals(BAD + BAD_URLS, letters.size());
                assertTrue(served.get() >= URL_IMAGES + BAD_URLS, "every URL was fetched: " + served.get());
                assertTrue(killedAt.size() == 3);
            }
        }
    }

    static final AtomicInteger served = new AtomicInteger();

    /** The PNG of the inline images at /img/N.png, 0 to 30 ms an answer; 404 for anything else. */
    static HttpServer imageServer() throws Exception {
        byte[] png = HostileInputTest.image(new Random(7), "png", 16, 16);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            try {
                served.incrementAndGet();
                Thread.sleep(Math.floorMod(exchange.getRequestURI().getPath().hashCode(), 31)); // the server's latency
                if (exchange.getRequestURI().getPath().startsWith("/img/")) {
                    exchange.getResponseHeaders().set("Content-Type", "image/png");
                    exchange.sendResponseHeaders(200, png.length);
                    exchange.getResponseBody().write(png);
                } else {
                    exchange.sendResponseHeaders(404, -1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exchange.close();
            }
        });
        server.start();
        return server;
    }

    /** Captions, images (inline and by URL) and bad events, interleaved; returns the keys of the bad ones. */
    static Set<String> produce(String bootstrapServers, AvroSerdes serdes, String imageServer) throws Exception {
        Random random = new Random(7);
        byte[] png = HostileInputTest.image(random, "png", 16, 16);
        Set<String> bad = new HashSet<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers, ProducerConfig.LINGER_MS_CONFIG, 20), new StringSerializer(), new ByteArraySerializer())) {
            for (String key : allKeys()) {
                int n = Integer.parseInt(key.substring(key.indexOf('-') + 1));
                if (key.startsWith("cap-")) {
                    producer.send(new ProducerRecord<>("media.captions", key, serdes.captionEvent().serializer().serialize("media.captions",
                            CaptionEvent.newBuilder().setId(key).setText("caption number " + n + " of a crash test").build())));
                } else if (key.startsWith("img-")) {
                    producer.send(new ProducerRecord<>("media.images", key, serdes.imageEvent().serializer().serialize("media.images",
                            ImageEvent.newBuilder().setId(key).setBytes(ByteBuffer.wrap(png)).build())));
                } else if (key.startsWith("url-")) {
                    producer.send(new ProducerRecord<>("media.images", key, serdes.imageEvent().serializer().serialize("media.images",
                            ImageEvent.newBuilder().setId(key).setUrl(imageServer + "/img/" + n + ".png").build())));
                } else if (key.startsWith("badurl-")) {
                    bad.add(key);
                    producer.send(new ProducerRecord<>("media.images", key, serdes.imageEvent().serializer().serialize("media.images",
                            ImageEvent.newBuilder().setId(key).setUrl(imageServer + "/missing/" + n + ".png").build())));
                } else {
                    bad.add(key);
                    byte[] value = switch (n % 4) {
                        case 0 -> "not avro at all".getBytes(StandardCharsets.UTF_8);
                        case 1 -> serdes.imageEvent().serializer().serialize("media.images",
                                ImageEvent.newBuilder().setId(key).build()); // neither bytes nor url
                        case 2 -> serdes.imageEvent().serializer().serialize("media.images",
                                ImageEvent.newBuilder().setId(key).setBytes(ByteBuffer.wrap("%PDF-1.4".getBytes(StandardCharsets.UTF_8))).build());
                        default -> serdes.captionEvent().serializer().serialize("media.captions",
                                CaptionEvent.newBuilder().setId(key).setText("   ").build()); // blank caption
                    };
                    producer.send(new ProducerRecord<>(n % 4 == 3 ? "media.captions" : "media.images", key, value));
                }
            }
        }
        return bad;
    }

    /** Every input key, in production order: bad and image events spread through the captions, URL events through those. */
    static List<String> allKeys() {
        List<String> inline = inlineKeys();
        List<String> keys = new ArrayList<>(TOTAL);
        int url = 0;
        int badUrl = 0;
        for (int i = 0; i < inline.size(); i++) {
            keys.add(inline.get(i));
            if (i % 20 == 11 && url < URL_IMAGES) {
                keys.add("url-" + url++);
            }
            if (i % 200 == 57 && badUrl < BAD_URLS) {
                keys.add("badurl-" + badUrl++);
            }
        }
        while (url < URL_IMAGES) {
            keys.add("url-" + url++);
        }
        while (badUrl < BAD_URLS) {
            keys.add("badurl-" + badUrl++);
        }
        return keys;
    }

    /** The captions, inline images and bad events, in production order. */
    static List<String> inlineKeys() {
        int total = CAPTIONS + IMAGES + BAD;
        List<String> keys = new ArrayList<>(total);
        int caption = 0;
        int image = 0;
        int bad = 0;
        for (int i = 0; i < total; i++) {
            if (i % 50 == 7 && bad < BAD) {
                keys.add("bad-" + bad++);
            } else if (i % 20 == 3 && image < IMAGES) {
                keys.add("img-" + image++);
            } else if (caption < CAPTIONS) {
                keys.add("cap-" + caption++);
            } else if (image < IMAGES) {
                keys.add("img-" + image++);
            } else {
                keys.add("bad-" + bad++);
            }
        }
        return keys;
    }

    static Process launch(Map<String, String> env, Path log) throws Exception {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String classpath = "target/classes" + File.pathSeparator + System.getProperty("java.class.path");
        ProcessBuilder builder = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx512m",
                "-DOPT_OUT_TRACKING=true", "-DDJL_CACHE_DIR=target/djl-cache", "-DENGINE_CACHE_DIR=target/djl-cache",
                "-cp", classpath, "io.clipstream.cli.ClipstreamCommand", "serve");
        builder.environment().keySet().removeIf(name -> name.startsWith("CLIPSTREAM_"));
        builder.environment().putAll(env);
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        return builder.start();
    }

    /** Whether the embedder's consumer groups have committed every input offset. */
    static boolean inputsConsumed(Admin admin) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("it-crash-embedder")
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (String topic : List.of("media.images", "media.captions")) {
                for (int p = 0; p < 4; p++) {
                    latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
                }
            }
            return admin.listOffsets(latest).all().get().entrySet().stream().allMatch(e -> {
                OffsetAndMetadata done = committed.get(e.getKey());
                return done != null && done.offset() >= e.getValue().offset();
            });
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<TopicPartition, Long> committedEnds(Admin admin, List<TopicPartition> partitions) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
        return admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }
}
