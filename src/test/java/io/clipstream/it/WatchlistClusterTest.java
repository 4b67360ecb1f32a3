package io.clipstream.it;

import io.clipstream.config.ClipstreamConfig;
import io.clipstream.config.ConfigSource;
import io.clipstream.embedded.EmbeddedKafkaBroker;
import io.clipstream.encoders.ClipModel;
import io.clipstream.encoders.EncoderSettings;
import io.clipstream.schema.AlertSource;
import io.clipstream.schema.ImageEvent;
import io.clipstream.schema.ModerationAlert;
import io.clipstream.schema.VectorRecord;
import io.clipstream.schema.WatchConcept;
import io.clipstream.schemaregistry.HttpSchemaRegistryClient;
import io.clipstream.schemaregistry.InProcessSchemaRegistry;
import io.clipstream.schemaregistry.SchemaRegistryClient;
import io.clipstream.schemaregistry.SchemaRegistryConfig;
import io.clipstream.serde.AvroSerdes;
import io.clipstream.service.ClipstreamService;
import io.clipstream.testing.Await;
import io.clipstream.topology.DeadLetter;
import io.clipstream.common.VectorRecords;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Watchlists on a real broker, one instance with every role: 1,000 text-prompt concepts and 2,000 images. The test
 * predicts the alerts by brute force (the concepts embedded here with the same model, each image's vector as the
 * service published it on vectors.image, one dot product per pair against the threshold) and a read_committed reader
 * must find every predicted alert exactly once and no other. Thresholds are placed in gaps of each concept's score
 * distribution (computed here from locally embedded images), so no predicted score lies within 1e-4 of its threshold;
 * the test checks that margin on the service's vectors too. Then backfill: a concept added after the images were
 * indexed finds them once its backfill is requested over REST. Last, a restarted instance reloads every concept and
 * scores new images against them (with a tolerance band: those images did not place the thresholds).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WatchlistClusterTest {

    static final int CONCEPTS = 1_000;
    static final int IMAGES = 2_000;
    static final double MARGIN = 1e-4;
    static final Duration WAIT = Duration.ofSeconds(90);
    static final String[] COLOURS = {"red", "green", "blue", "yellow", "purple", "orange", "black", "white", "pink", "brown"};
    static final String[] SHAPES = {"circle", "square", "triangle", "star", "stripe", "dot", "cross", "ring", "cloud", "wave"};
    static final String[] SCENES = {"on a table", "in the sky", "under water", "at night", "in a field", "on a wall",
            "in a box", "on paper", "in snow", "in the dark"};

    static Path base;
    static EmbeddedKafkaBroker broker;
    static InProcessSchemaRegistry registry;
    static SchemaRegistryClient registryClient;
    static AvroSerdes serdes;
    static ClipModel model;
    static ClipstreamService service;
    static final int port = Rest.freePort();
    /** Concepts as published: id to concept, and their vectors as embedded here. */
    static final Map<String, WatchConcept> concepts = new LinkedHashMap<>();
    static final Map<String, float[]> conceptVectors = new HashMap<>();
    static final Map<String, ImageEvent> images = new LinkedHashMap<>();
    static final Map<String, float[]> localImageVectors = new HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        base = Path.of("target", "it", "watchlists-" + UUID.randomUUID());
        broker = EmbeddedKafkaBroker.start(base.resolve("kafka"));
        registry = new InProcessSchemaRegistry();
        registryClient = new HttpSchemaRegistryClient(SchemaRegistryConfig.of(registry.url().toString()));
        serdes = new AvroSerdes(registryClient, true);
        model = ClipModel.open(EncoderSettings.cpu(Path.of("models/fixture-tiny")));
        service = startService();
    }

    static ClipstreamService startService() throws Exception {
        Map<String, String> settings = InstanceSettings.of(broker, registry, "it-watchlists", "embedder,index,responder",
                base.resolve("state"), port);
        return ClipstreamService.start(ClipstreamConfig.from(ConfigSource.of(settings)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) {
            service.close();
        }
        model.close();
        registryClient.close();
        registry.close();
        broker.close();
    }

    @Test
    @Order(1)
    void everyPredictedAlertIsEmittedExactlyOnceAndNoOther() throws Exception {
        Random random = new Random(8);
        for (int i = 0; i < IMAGES; i++) {
            String id = "img-" + i;
            byte[] png = image(random);
            ImageEvent.Builder event = ImageEvent.newBuilder().setId(id).setBytes(ByteBuffer.wrap(png))
                    .setCategory(i % 3 == 0 ? "upload" : "catalog").setMetadata(Map.of("n", Integer.toString(i)));
            if (i % 2 == 0) {
                event.setTenant(i % 4 == 0 ? "acme" : "globex");
            }
            images.put(id, event.build());
        }
        List<String> ids = new ArrayList<>(images.keySet());
        for (int from = 0; from < ids.size(); from += 32) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 32));
            List<byte[]> bytes = chunk.stream().map(id -> bytes(images.get(id))).toList();
            List<float[]> vectors = model.image().embed(bytes);
            for (int i = 0; i < chunk.size(); i++) {
                localImageVectors.put(chunk.get(i), vectors.get(i));
            }
        }
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < CONCEPTS; i++) {
            prompts.add("a " + COLOURS[i % 10] + " " + SHAPES[(i / 10) % 10] + " " + SCENES[(i / 100) % 10]);
        }
        for (int from = 0; from < prompts.size(); from += 64) {
            List<String> chunk = prompts.subList(from, Math.min(prompts.size(), from + 64));
            var embedded = model.text().embed(chunk);
            for (int i = 0; i < chunk.size(); i++) {
                conceptVectors.put("c-" + (from + i), embedded.get(i).vector());
            }
        }
        int expectedLocal = 0;
        for (int i = 0; i < CONCEPTS; i++) {
            String id = "c-" + i;
            String tenant = i % 10 == 7 ? "acme" : null;
            float threshold = thresholdInGap(conceptVectors.get(id), tenant, 1 + i % 4);
            concepts.put(id, WatchConcept.newBuilder().setId(id).setLabel("label " + prompts.get(i)).setThreshold(threshold)
                    .setPrompt(prompts.get(i)).setTenant(tenant).build());
        }

        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (WatchConcept concept : concepts.values()) {
                producer.send(new ProducerRecord<>("watchlists", concept.getId(), serdes.value(WatchConcept.class).serializer()
                        .serialize("watchlists", concept)));
            }
            // Invalid concepts: each must reach the dead-letter topic with its reason, none may be scored.
            producer.send(new ProducerRecord<>("watchlists", "bad-none", conceptBytes(WatchConcept.newBuilder().setId("bad-none")
                    .setLabel("nothing").setThreshold(0.1f).build())));
            producer.send(new ProducerRecord<>("watchlists", "bad-threshold", conceptBytes(WatchConcept.newBuilder()
                    .setId("bad-threshold").setLabel("too high").setThreshold(1.5f).setPrompt("a cat").build())));
            producer.send(new ProducerRecord<>("watchlists", "bad-image", conceptBytes(WatchConcept.newBuilder().setId("bad-image")
                    .setLabel("broken").setThreshold(0.1f).setImage(ByteBuffer.wrap("%PDF-1.4 not an image".getBytes(StandardCharsets.UTF_8)))
                    .build())));
            producer.send(new ProducerRecord<>("watchlists", "bad-both", conceptBytes(WatchConcept.newBuilder().setId("bad-both")
                    .setLabel("both").setThreshold(0.1f).setPrompt("a cat").setImage(ByteBuffer.wrap(image(random))).build())));
            producer.flush();
            Await.until(WAIT, "the embedder to hold all " + CONCEPTS + " concepts", () -> gauge("clipstream_watchlist_concepts") == CONCEPTS);
            for (ImageEvent event : images.values()) {
                producer.send(new ProducerRecord<>("media.images", event.getId(), serdes.imageEvent().serializer()
                        .serialize("media.images", event)));
            }
            producer.flush();
        }

        Map<String, VectorRecord> published = new HashMap<>();
        List<ModerationAlert> alerts = new ArrayList<>();
        Map<String, String> deadLetterCodes = new HashMap<>();
        try (KafkaConsumer<String, byte[]> reader = committedReader(List.of("vectors.image", "moderation.alerts", "clipstream.dlq"))) {
            Await.until(WAIT, "all " + IMAGES + " image vectors and 4 dead concepts", () -> {
                drain(reader, published, alerts, deadLetterCodes);
                return published.size() == IMAGES && deadLetterCodes.size() == 4;
            });
            // The alerts commit with the vectors; read up to the last stable offsets to see every one.
            catchUp(reader, published, alerts, deadLetterCodes);
        }

        assertEquals(Map.of("bad-none", "NO_EXAMPLE", "bad-threshold", "BAD_THRESHOLD", "bad-image", "UNSUPPORTED_FORMAT",
                "bad-both", "NO_EXAMPLE"), deadLetterCodes);

        // Brute force over the service's own image vectors.
        Map<String, Float> predicted = new TreeMap<>();
        double closest = Double.MAX_VALUE;
        for (VectorRecord vector : published.values()) {
            float[] image = VectorRecords.toArray(vector.getVector());
            for (WatchConcept concept : concepts.values()) {
                if (concept.getTenant() != null && !concept.getTenant().equals(vector.getTenant())) {
                    continue;
                }
                double score = dot(image, conceptVectors.get(concept.getId()));
                closest = Math.min(closest, Math.abs(score - concept.getThreshold()));
                if (score >= concept.getThreshold()) {
                    predicted.put(vector.getId() + "|" + concept.getId(), (float) score);
                }
            }
        }
        assertTrue(closest > MARGIN, "a predicted score lies within " + MARGIN + " of its threshold (" + closest
                + "): float summation order could decide it; the thresholds should sit in wider gaps");

        Map<String, Integer> emitted = new TreeMap<>();
        for (ModerationAlert alert : alerts) {
            String pair = alert.getItemId() + "|" + alert.getConceptId();
            emitted.merge(pair, 1, Integer::sum);
            assertEquals(AlertSource.STREAM, alert.getSource(), pair);
            WatchConcept concept = concepts.get(alert.getConceptId());
            ImageEvent image = images.get(alert.getItemId());
            assertTrue(concept != null && image != null, "alert for an unknown concept or image: " + alert);
            assertEquals(concept.getLabel(), alert.getLabel());
            assertEquals(concept.getThreshold(), alert.getThreshold());
            assertEquals(model.id(), alert.getModelId());
            assertEquals(image.getTenant(), alert.getTenant());
            assertEquals(image.getCategory(), alert.getCategory());
            assertEquals(image.getMetadata(), alert.getMetadata());
            if (predicted.containsKey(pair)) {
                assertEquals(predicted.get(pair), alert.getScore(), 1e-5, pair);
            }
        }
        List<String> missing = predicted.keySet().stream().filter(pair -> !emitted.containsKey(pair)).toList();
        List<String> unexpected = emitted.keySet().stream().filter(pair -> !predicted.containsKey(pair)).toList();
        List<String> repeated = emitted.entrySet().stream().filter(e -> e.getValue() > 1).map(e -> e.getKey() + "x" + e.getValue()).toList();
        System.out.printf("FIGURES watchlists: %d concepts x %d images, %d predicted alerts, %d emitted, closest score to "
                + "its threshold %.5f%n", CONCEPTS, IMAGES, predicted.size(), alerts.size(), closest);
        assertEquals(List.of(), missing.stream().limit(20).toList(), missing.size() + " predicted alerts missing");
        assertEquals(List.of(), unexpected.stream().limit(20).toList(), unexpected.size() + " alerts not predicted");
        assertEquals(List.of(), repeated.stream().limit(20).toList(), repeated.size() + " alerts repeated");
        assertTrue(predicted.size() >= 500 && predicted.size() <= 20 * CONCEPTS, "the thresholds should give hundreds to "
                + "thousands of alerts, not " + predicted.size());
    }

    @Test
    @Order(2)
    void backfillFindsImagesIndexedBeforeTheConceptExisted() throws Exception {
        Await.until(WAIT, "the index to hold every image", () -> gauge("clipstream_index_vectors") >= IMAGES);
        assertEquals(404, Rest.post(port, "/v1/watchlists/no-such-concept/backfill", "").status());

        String id = "late";
        float[] vector = model.text().embed(List.of("a blue ring under water, drawn late")).get(0).vector();
        float threshold = thresholdInGap(vector, null, 25);
        WatchConcept late = WatchConcept.newBuilder().setId(id).setLabel("late concept").setThreshold(threshold)
                .setPrompt("a blue ring under water, drawn late").build();
        concepts.put(id, late);
        conceptVectors.put(id, vector);
        try (KafkaProducer<String, byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>("watchlists", id, conceptBytes(late)));
            producer.flush();
        }
        Rest.Reply reply = Await.until(WAIT, "the backfill request to be accepted", () -> {
            Rest.Reply attempt = Rest.post(port, "/v1/watchlists/" + id + "/backfill", "");
            return attempt.status() == 202 ? Optional.of(attempt) : Optional.empty();
        });
        assertEquals(4, reply.body().get("partitions").asInt(), reply.body().toString());

        Map<String, Float> predicted = new TreeMap<>();
        for (Map.Entry<String, float[]> image : localImageVectors.entrySet()) {
            double score = dot(image.getValue(), vector);
            if (score >= threshold) {
                predicted.put(image.getKey(), (float) score);
            }
        }
        Map<String, VectorRecord> ignored = new HashMap<>();
        List<ModerationAlert> alerts = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> reader = committedReader(List.of("moderation.alerts"))) {
            Await.until(WAIT, predicted.size() + " backfill alerts", () -> {
                drain(reader, ignored, alerts, new HashMap<>());
                return alerts.stream().filter(a -> a.getConceptId().equals(id)).count() >= predicted.size();
            });
            catchUp(reader, ignored, alerts, new HashMap<>());
        }
        Map<String, Integer> emitted = new TreeMap<>();
        for (ModerationAlert alert : alerts) {
            if (alert.getConceptId().equals(id)) {
                assertEquals(AlertSource.BACKFILL, alert.getSource(), "the images were indexed before the concept: " + alert);
                emitted.merge(alert.getItemId(), 1, Integer::sum);
                assertEquals(predicted.getOrDefault(alert.getItemId(), Float.NaN), alert.getScore(), 1e-4f, alert.getItemId());
                assertEquals(images.get(alert.getItemId()).getMetadata(), alert.getMetadata());
            }
        }
        System.out.printf("FIGURES watchlist backfill: %d predicted, %d emitted%n", predicted.size(), emitted.size());
        assertEquals(predicted.keySet(), emitted.keySet());
        assertTrue(emitted.values().stream().allMatch(n -> n == 1), "each backfill alert exactly once: " + emitted);
        assertTrue(predicted.size() >= 10 && predicted.size() < IMAGES / 2, "the late concept should match some images, not all: "
                + predicted.size());
    }

    @Test
    @Order(3)
    void afterARestartTheEmbedderReloadsEveryConceptAndScoresNewImagesAgainstThem() throws Exception {
        service.close();
        service = null;
        service = startService();
        Await.until(WAIT, "the restarted embedder to reload all " + concepts.size() + " concepts",
                () -> gauge("clipstream_watchlist_concepts") == concepts.size());
        Random random = new Random(81);
        List<String> fresh = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (int i = 0; i < 200; i++) {
                String id = "after-restart-" + i;
                ImageEvent event = ImageEvent.newBuilder().setId(id).setBytes(ByteBuffer.wrap(image(random))).build();
                images.put(id, event);
                fresh.add(id);
                producer.send(new ProducerRecord<>("media.images", id, serdes.imageEvent().serializer().serialize("media.images", event)));
            }
            producer.flush();
        }
        Map<String, VectorRecord> published = new HashMap<>();
        List<ModerationAlert> alerts = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> reader = committedReader(List.of("vectors.image", "moderation.alerts"))) {
            Await.until(WAIT, "the new images' vectors", () -> {
                drain(reader, published, alerts, new HashMap<>());
                return published.keySet().containsAll(fresh);
            });
            catchUp(reader, published, alerts, new HashMap<>());
        }
        // These images were not used to place the thresholds, so some scores may fall close to one: pairs within
        // MARGIN of their threshold form a tolerance band where either answer is right (but never two alerts).
        Map<String, Integer> predicted = new TreeMap<>();
        List<String> band = new ArrayList<>();
        for (String id : fresh) {
            float[] image = VectorRecords.toArray(published.get(id).getVector());
            for (WatchConcept concept : concepts.values()) {
                if (concept.getTenant() != null) {
                    continue; // the new images have no tenant
                }
                double score = dot(image, conceptVectors.get(concept.getId()));
                String pair = id + "|" + concept.getId();
                if (Math.abs(score - concept.getThreshold()) <= MARGIN) {
                    band.add(pair);
                } else if (score >= concept.getThreshold()) {
                    predicted.put(pair, 1);
                }
            }
        }
        Map<String, Integer> emitted = new TreeMap<>();
        for (ModerationAlert alert : alerts) {
            if (alert.getItemId().startsWith("after-restart-")) {
                assertEquals(AlertSource.STREAM, alert.getSource());
                emitted.merge(alert.getItemId() + "|" + alert.getConceptId(), 1, Integer::sum);
            }
        }
        System.out.printf("FIGURES watchlists after restart: %d predicted, %d in the tolerance band, %d emitted%n",
                predicted.size(), band.size(), emitted.size());
        assertTrue(emitted.values().stream().allMatch(n -> n == 1), "an alert repeated: " + emitted);
        band.forEach(emitted::remove);
        assertTrue(!predicted.isEmpty(), "the new images should match some concepts");
        assertEquals(predicted, emitted, "each predicted alert exactly once, no other");
    }

    /**
     * A threshold in the middle of a gap of at least 5e-4 (so 2.5e-4 from either neighbour) in the concept's descending score distribution, just below
     * about {@code matches} images (the first such gap at or after that rank).
     */
    static float thresholdInGap(float[] concept, String tenant, int matches) {
        double[] scores = localImageVectors.entrySet().stream()
                .filter(e -> tenant == null || tenant.equals(images.get(e.getKey()).getTenant()))
                .mapToDouble(e -> dot(e.getValue(), concept)).sorted().toArray();
        for (int rank = matches; rank < scores.length - 1; rank++) {
            double above = scores[scores.length - rank];
            double below = scores[scores.length - rank - 1];
            if (above - below >= 5e-4) {
                return (float) ((above + below) / 2);
            }
        }
        throw new IllegalStateException("no gap in the score distribution");
    }

    static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }

    static long gauge(String name) {
        String metrics = Rest.get(port, "/metrics").body().get("raw").asText();
        return Arrays.stream(metrics.split("\n")).filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    static byte[] conceptBytes(WatchConcept concept) {
        return serdes.value(WatchConcept.class).serializer().serialize("watchlists", concept);
    }

    static byte[] bytes(ImageEvent event) {
        ByteBuffer buffer = event.getBytes().duplicate();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    /** A 64x64 PNG of a random background with a few random shapes, so that embeddings differ. */
    static byte[] image(Random random) throws IOException {
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(random.nextInt(0xFFFFFF)));
        g.fillRect(0, 0, 64, 64);
        for (int s = 0; s < 1 + random.nextInt(4); s++) {
            g.setColor(new Color(random.nextInt(0xFFFFFF)));
            int x = random.nextInt(48);
            int y = random.nextInt(48);
            int w = 8 + random.nextInt(40);
            int h = 8 + random.nextInt(40);
            if (random.nextBoolean()) {
                g.fillOval(x, y, w, h);
            } else {
                g.fillRect(x, y, w, h);
            }
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 10), new StringSerializer(), new ByteArraySerializer());
    }

    static KafkaConsumer<String, byte[]> committedReader(List<String> topics) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    static void drain(KafkaConsumer<String, byte[]> reader, Map<String, VectorRecord> vectors, List<ModerationAlert> alerts,
                      Map<String, String> deadLetters) {
        for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(200))) {
            if (record.value() == null) {
                continue;
            }
            switch (record.topic()) {
                case "vectors.image" -> vectors.put(record.key(), serdes.vectorRecord().deserializer().deserialize(record.topic(), record.value()));
                case "moderation.alerts" -> alerts.add(serdes.value(ModerationAlert.class).deserializer().deserialize(record.topic(), record.value()));
                default -> {
                    Header code = record.headers().lastHeader(DeadLetter.REASON_CODE);
                    if (record.key() != null && record.key().startsWith("bad-")) {
                        deadLetters.put(record.key(), code == null ? "" : new String(code.value(), StandardCharsets.UTF_8));
                    }
                }
            }
        }
    }

    /** Reads on until the reader's position reaches the end offsets as they are now (read_committed: the last stable ones). */
    static void catchUp(KafkaConsumer<String, byte[]> reader, Map<String, VectorRecord> vectors, List<ModerationAlert> alerts,
                        Map<String, String> deadLetters) throws InterruptedException {
        Map<TopicPartition, Long> ends = reader.endOffsets(reader.assignment());
        Await.until(WAIT, "the reader to reach " + ends, () -> {
            drain(reader, vectors, alerts, deadLetters);
            return ends.entrySet().stream().allMatch(e -> reader.position(e.getKey()) >= e.getValue());
        });
    }
}
