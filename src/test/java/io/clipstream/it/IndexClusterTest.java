package io.clipstream.it;

import io.clipstream.testing.TestVectors;
import io.clipstream.testing.Await;

import com.fasterxml.jackson.databind.JsonNode;
import io.clipstream.config.ClipstreamConfig;
import io.clipstream.config.ConfigSource;
import io.clipstream.embedded.EmbeddedKafkaBroker;
import io.clipstream.encoders.ClipModel;
import io.clipstream.encoders.EncoderSettings;
import io.clipstream.schema.Modality;
import io.clipstream.schema.SearchRequest;
import io.clipstream.schema.SearchResponse;
import io.clipstream.schema.Target;
import io.clipstream.schema.VectorRecord;
import io.clipstream.schemaregistry.HttpSchemaRegistryClient;
import io.clipstream.schemaregistry.InProcessSchemaRegistry;
import io.clipstream.schemaregistry.SchemaRegistryClient;
import io.clipstream.schemaregistry.SchemaRegistryConfig;
import io.clipstream.serde.AvroSerdes;
import io.clipstream.service.ClipstreamService;
import io.clipstream.common.VectorRecords;
import org.apache.kafka.clients.admin.Admin;
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
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two index instances on a real broker, 4 partitions per vector topic: a REST search on either
 * returns the merged top k that a brute-force scan over every vector finds; restarts restore the
 * stores (from local state, and from the vector topic when the state is gone); requests on the
 * request topic get exactly one response each; foreign vectors go to the dead-letter topic.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IndexClusterTest {

    static final int IMAGES = 400;
    static final int TEXTS = 200;
    static final Duration WAIT = Duration.ofSeconds(90);

    static EmbeddedKafkaBroker broker;
    static InProcessSchemaRegistry registry;
    static SchemaRegistryClient registryClient;
    static ClipModel model;
    static Path base;
    static final Map<String, float[]> imageVectors = new HashMap<>();
    static final int[] ports = {Rest.freePort(), Rest.freePort()};
    static final ClipstreamService[] instances = new ClipstreamService[2];

    @BeforeAll
    static void startCluster() throws Exception {
        base = Path.of("target", "it", "index-cluster-" + UUID.randomUUID());
        broker = EmbeddedKafkaBroker.start(base.resolve("kafka"));
        registry = new InProcessSchemaRegistry();
        registryClient = new HttpSchemaRegistryClient(SchemaRegistryConfig.of(registry.url().toString()));
        model = ClipModel.open(EncoderSettings.cpu(Path.of("models/fixture-tiny")));
        instances[0] = start(0);
        instances[1] = start(1);
        produceVectors();
        awaitAllIndexed(0);
        awaitAllIndexed(1);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (ClipstreamService instance : instances) {
            if (instance != null) {
                instance.close();
            }
        }
        model.close();
        registryClient.close();
        registry.close();
        broker.close();
    }

    static ClipstreamService start(int index) throws Exception {
        Map<String, String> settings = InstanceSettings.of(broker, registry, "it-cluster", "index,responder",
                base.resolve("state-" + index), ports[index]);
        return ClipstreamService.start(ClipstreamConfig.from(ConfigSource.of(settings)));
    }

    static <T extends org.apache.avro.specific.SpecificRecord> KafkaProducer<String, T> producer(Serializer<T> values) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(), values);
    }

    static VectorRecord vector(String id, Modality modality, String modelId, float[] values) {
        return VectorRecord.newBuilder().setId(id).setModality(modality).setModelId(modelId).setDimension(values.length)
                .setVector(VectorRecords.toList(values)).setCategory(id.hashCode() % 2 == 0 ? "even" : "odd")
                .setMetadata(Map.of("n", id)).setText(modality == Modality.TEXT ? "caption " + id : null).build();
    }

    static void produceVectors() {
        Random random = new Random(42);
        AvroSerdes serdes = new AvroSerdes(registryClient, true);
        try (KafkaProducer<String, VectorRecord> producer = producer(serdes.vectorRecord().serializer())) {
            for (int i = 0; i < IMAGES; i++) {
                String id = "img-" + i;
                float[] v = TestVectors.randomUnitVector(random, model.dimension());
                imageVectors.put(id, v);
                producer.send(new ProducerRecord<>("vectors.image", id, vector(id, Modality.IMAGE, model.id(), v)));
            }
            for (int i = 0; i < TEXTS; i++) {
                String id = "txt-" + i;
                producer.send(new ProducerRecord<>("vectors.text", id, vector(id, Modality.TEXT, model.id(), TestVectors.randomUnitVector(random, model.dimension()))));
            }
            producer.flush();
        }
    }

    static void awaitAllIndexed(int instance) throws InterruptedException {
        Await.until(WAIT, "instance " + instance + " to serve all " + IMAGES + " image vectors from every partition", () -> {
            Rest.Reply reply = Rest.post(ports[instance], "/v1/search", "{\"text\": \"anything\", \"target\": \"IMAGE\", \"k\": 1000}");
            return reply.status() == 200 && reply.body().get("hits").size() == IMAGES
                    && reply.body().get("missingPartitions").isEmpty();
        });
    }

    /** The expected answer: every produced image vector scored against the query, best first. */
    static List<Map.Entry<String, Float>> bruteForce(float[] query, int k) {
        return imageVectors.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), dot(query, e.getValue())))
                .sorted(Map.Entry.<String, Float>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(k)
                .toList();
    }

    static float dot(float[] a, float[] b) {
        float sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    /**
     * The instance's answer must equal the brute-force top k once it is complete. A rebalance
     * right after a restart may briefly leave a partition unowned; the answer then says so in
     * missingPartitions (which is correct), so this waits for a complete answer first.
     */
    static void assertMatchesBruteForce(int instance, String text) throws InterruptedException {
        float[] query = model.text().embed(List.of(text)).get(0).vector();
        List<Map.Entry<String, Float>> expected = bruteForce(query, 10);
        Rest.Reply reply = Await.until(WAIT, "a complete answer from instance " + instance, () -> {
            Rest.Reply attempt = Rest.post(ports[instance], "/v1/search",
                    "{\"text\": \"" + text + "\", \"target\": \"IMAGE\", \"k\": 10}");
            return attempt.status() == 200 && attempt.body().get("missingPartitions").isEmpty()
                    ? Optional.of(attempt) : Optional.empty();
        });
        assertEquals(200, reply.status(), reply.body().toString());
        JsonNode hits = reply.body().get("hits");
        assertEquals(10, hits.size());
        assertTrue(reply.body().get("missingPartitions").isEmpty(), reply.body().toString());
        for (int i = 0; i < 10; i++) {
            assertEquals(expected.get(i).getKey(), hits.get(i).get("id").asText(), "rank " + i + " on instance " + instance);
            assertEquals(expected.get(i).getValue(), hits.get(i).get("score").floatValue(), 1e-5, "score at rank " + i);
        }
    }

    @Test
    @Order(1)
    void eitherInstanceReturnsTheBruteForceTopK() throws InterruptedException {
        for (String text : List.of("a red circle", "two dogs on a beach", "a yellow banana")) {
            assertMatchesBruteForce(0, text);
            assertMatchesBruteForce(1, text);
        }
    }

    @Test
    @Order(2)
    void eitherInstanceServesEveryThumbnailItsOwnOrItsPeers() throws Exception {
        Map<String, byte[]> thumbnails = new HashMap<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers()), new StringSerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            for (int i = 0; i < 40; i++) {
                byte[] jpeg = ("jpeg-of-img-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                thumbnails.put("img-" + i, jpeg);
                producer.send(new ProducerRecord<>("media.thumbnails", "img-" + i, jpeg));
            }
            producer.flush();
        }
        for (int instance = 0; instance < 2; instance++) {
            io.clipstream.search.ItemImages images = instances[instance].itemImages();
            for (Map.Entry<String, byte[]> thumbnail : thumbnails.entrySet()) {
                Await.until(WAIT, "instance " + instance + " to serve the thumbnail of " + thumbnail.getKey(), () ->
                        images.image(thumbnail.getKey()).map(found -> Arrays.equals(found, thumbnail.getValue())).orElse(false));
            }
            assertTrue(images.image("img-399").isEmpty(), "an item without a thumbnail has none, wherever it lives");
        }
        java.net.http.HttpResponse<byte[]> served = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                .newBuilder(java.net.URI.create("http://127.0.0.1:" + ports[1] + "/v1/items/img-3/thumbnail")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, served.statusCode());
        assertEquals("image/jpeg", served.headers().firstValue("Content-Type").orElse(""));
        assertArrayEquals(thumbnails.get("img-3"), served.body());
        assertEquals(404, Rest.get(ports[0], "/v1/items/img-399/thumbnail").status(), "indexed as bytes before thumbnails: none");
    }

    @Test
    @Order(2)
    void filtersItemLookupsAndTextSearchWork() {
        Rest.Reply filtered = Rest.post(ports[1], "/v1/search",
                "{\"text\": \"a cat\", \"target\": \"IMAGE\", \"k\": 1000, \"filters\": {\"category\": \"even\"}}");
        long even = imageVectors.keySet().stream().filter(id -> id.hashCode() % 2 == 0).count();
        assertEquals(even, filtered.body().get("hits").size());

        Rest.Reply texts = Rest.post(ports[0], "/v1/search", "{\"text\": \"a cat\", \"target\": \"TEXT\", \"k\": 1000}");
        assertEquals(TEXTS, texts.body().get("hits").size());
        assertEquals("TEXT", texts.body().get("hits").get(0).get("modality").asText());

        Rest.Reply item = Rest.get(ports[1], "/v1/items/img-7");
        assertEquals(200, item.status(), item.body().toString());
        assertEquals("img-7", item.body().get("id").asText());
        assertEquals(404, Rest.get(ports[0], "/v1/items/no-such-item").status());

        Rest.Reply similar = Rest.post(ports[0], "/v1/search", "{\"itemId\": \"img-7\", \"target\": \"IMAGE\", \"k\": 5}");
        List<Map.Entry<String, Float>> expected = bruteForce(imageVectors.get("img-7"), 6).stream()
                .filter(e -> !e.getKey().equals("img-7")).toList();
        for (int i = 0; i < 5; i++) {
            assertEquals(expected.get(i).getKey(), similar.body().get("hits").get(i).get("id").asText());
        }
    }

    @Test
    @Order(3)
    void searchRequestsOnTheTopicGetExactlyOneResponseEach() throws Exception {
        AvroSerdes serdes = new AvroSerdes(registryClient, true);
        List<String> ids = new ArrayList<>();
        try (KafkaProducer<String, SearchRequest> producer = producer(serdes.searchRequest().serializer())) {
            for (int i = 0; i < 5; i++) {
                String id = "req-" + i;
                ids.add(id);
                producer.send(new ProducerRecord<>("search.requests", id, SearchRequest.newBuilder().setCorrelationId(id)
                        .setText("a red circle").setTarget(Target.IMAGE).setK(10).build()));
            }
            producer.send(new ProducerRecord<>("search.requests", "bad-k", SearchRequest.newBuilder().setCorrelationId("bad-k")
                    .setText("x").setTarget(Target.IMAGE).setK(0).build()));
            producer.flush();
        }
        List<ConsumerRecord<String, byte[]>> responses = readAll("search.responses", 6);
        Map<String, Integer> counts = new HashMap<>();
        responses.forEach(r -> counts.merge(r.key(), 1, Integer::sum));
        for (String id : ids) {
            assertEquals(1, counts.getOrDefault(id, 0), "responses for " + id + ": " + counts);
        }
        assertEquals(1, counts.getOrDefault("bad-k", 0));
        float[] query = model.text().embed(List.of("a red circle")).get(0).vector();
        List<Map.Entry<String, Float>> expected = bruteForce(query, 10);
        for (ConsumerRecord<String, byte[]> record : responses) {
            SearchResponse response = serdes.searchResponse().deserializer().deserialize("search.responses", record.value());
            if (record.key().equals("bad-k")) {
                assertTrue(response.getError().contains("k must be between 1 and 1000"), response.getError());
            } else {
                assertEquals(expected.get(0).getKey(), response.getHits().get(0).getId());
                assertEquals(10, response.getHits().size());
            }
        }
    }

    @Test
    @Order(4)
    void foreignVectorsGoToTheDeadLetterTopicAndAreNeverServed() throws Exception {
        AvroSerdes serdes = new AvroSerdes(registryClient, true);
        try (KafkaProducer<String, VectorRecord> producer = producer(serdes.vectorRecord().serializer());
             KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                     broker.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("vectors.image", "other-model", vector("other-model", Modality.IMAGE, "clip-vit-l-14",
                    TestVectors.randomUnitVector(new Random(1), model.dimension()))));
            producer.send(new ProducerRecord<>("vectors.image", "short", vector("short", Modality.IMAGE, model.id(),
                    TestVectors.randomUnitVector(new Random(2), 8))));
            raw.send(new ProducerRecord<>("vectors.text", "garbage", "not avro".getBytes(StandardCharsets.UTF_8)));
        }
        List<ConsumerRecord<String, byte[]>> letters = readAll("clipstream.dlq", 3);
        Map<String, String> reasons = new HashMap<>();
        for (ConsumerRecord<String, byte[]> letter : letters) {
            Header reason = letter.headers().lastHeader("clipstream.dlq.reason");
            reasons.put(letter.key(), new String(reason.value(), StandardCharsets.UTF_8));
        }
        assertTrue(reasons.get("other-model").contains("clip-vit-l-14"), reasons.toString());
        assertTrue(reasons.get("short").contains("dimension 8"), reasons.toString());
        assertTrue(reasons.get("garbage").contains("wire format"), reasons.toString());
        Rest.Reply all = Rest.post(ports[0], "/v1/search", "{\"text\": \"x\", \"target\": \"IMAGE\", \"k\": 1000}");
        assertEquals(IMAGES, all.body().get("hits").size(), "foreign vectors are not served");
    }

    @Test
    @Order(5)
    void restartsRestoreFromLocalStateAndFromTheVectorTopic() throws Exception {
        instances[1].close();
        awaitAllIndexed(0);
        instances[1] = start(1);
        awaitAllIndexed(1);
        assertMatchesBruteForce(1, "a red circle");
        assertMatchesBruteForce(0, "a red circle");

        instances[0].close();
        deleteRecursively(base.resolve("state-0"));
        awaitAllIndexed(1);
        instances[0] = start(0);
        awaitAllIndexed(0);
        assertMatchesBruteForce(0, "a yellow banana");
        assertMatchesBruteForce(1, "a yellow banana");

        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            Set<String> topics = admin.listTopics().names().get();
            assertTrue(topics.stream().noneMatch(t -> t.contains("vectors-image-store-changelog")),
                    "the vector topic is the store's changelog: " + topics);
        }
    }

    /** Every record on {@code topic} up to its end, once at least {@code atLeast} are there. */
    static List<ConsumerRecord<String, byte[]>> readAll(String topic, int atLeast) throws InterruptedException {
        return readAllFrom(broker.bootstrapServers(), topic, atLeast);
    }

    static List<ConsumerRecord<String, byte[]>> readAllFrom(String bootstrapServers, String topic, int atLeast)
            throws InterruptedException {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            Await.until(WAIT, atLeast + " records on " + topic, () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= atLeast ? Optional.of(true) : Optional.empty();
            });
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Await.until(WAIT, "the end of " + topic, () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p)) ? Optional.of(true) : Optional.empty();
            });
            return records;
        }
    }

    static void deleteRecursively(Path dir) throws Exception {
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
