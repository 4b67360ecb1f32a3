package io.clipstream.it;

import io.clipstream.testing.TestVectors;
import com.fasterxml.jackson.databind.JsonNode;
import io.clipstream.config.ClipstreamConfig;
import io.clipstream.config.ConfigSource;
import io.clipstream.embedded.EmbeddedKafkaBroker;
import io.clipstream.encoders.ClipModel;
import io.clipstream.encoders.EncoderSettings;
import io.clipstream.schema.Modality;
import io.clipstream.schema.VectorRecord;
import io.clipstream.schemaregistry.HttpSchemaRegistryClient;
import io.clipstream.schemaregistry.InProcessSchemaRegistry;
import io.clipstream.schemaregistry.SchemaRegistryClient;
import io.clipstream.schemaregistry.SchemaRegistryConfig;
import io.clipstream.serde.AvroSerdes;
import io.clipstream.service.ClipstreamService;
import io.clipstream.testing.Await;
import io.clipstream.common.VectorRecords;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 5 end to end: 100k vectors through the vector topic into two index instances (4 partitions, so 25k per
 * partition, well above the graph's min size: every search walks JVector graphs). REST searches on either instance
 * reach recall@10 >= 0.95 against a brute force over what was produced; deleted items never come back; a filter
 * keeping 1% of the items still returns k hits, all matching.
 */
class AnnClusterTest {

    static final int VECTORS = 100_000;
    static final int DELETED = 2_000;
    static final int QUERIES = 40;
    static final Duration WAIT = Duration.ofSeconds(240);
    static final Pattern INDEX_VECTORS = Pattern.compile("(?m)^clipstream_index_vectors(?:\\{[^}]*})? ([0-9.eE+]+)$");
    static final Pattern AWAITING_GRAPH =
            Pattern.compile("(?m)^clipstream_index_vectors_awaiting_graph(?:\\{[^}]*})? ([0-9.eE+]+)$");
    static final Pattern SEGMENTS = Pattern.compile("(?m)^clipstream_index_segments(?:\\{[^}]*})? ([0-9.eE+]+)$");

    static EmbeddedKafkaBroker broker;
    static InProcessSchemaRegistry registry;
    static SchemaRegistryClient registryClient;
    static ClipModel model;
    static Path base;
    static final Map<String, float[]> vectors = new HashMap<>();
    static final Map<String, String> categories = new HashMap<>();
    static final int[] ports = {Rest.freePort(), Rest.freePort()};
    static final ClipstreamService[] instances = new ClipstreamService[2];

    @BeforeAll
    static void startCluster() throws Exception {
        base = Path.of("target", "it", "ann-cluster-" + UUID.randomUUID());
        broker = EmbeddedKafkaBroker.start(base.resolve("kafka"));
        registry = new InProcessSchemaRegistry();
        registryClient = new HttpSchemaRegistryClient(SchemaRegistryConfig.of(registry.url().toString()));
        model = ClipModel.open(EncoderSettings.cpu(Path.of("models/fixture-tiny")));
        instances[0] = start(0);
        instances[1] = start(1);
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
        Map<String, String> settings = InstanceSettings.of(broker, registry, "it-ann", "index",
                base.resolve("state-" + index), ports[index]);
        return ClipstreamService.start(ClipstreamConfig.from(ConfigSource.of(settings)));
    }

    @Test
    void graphSearchThroughTheClusterKeepsRecallDeletesAndFilters() throws Exception {
        Random random = new Random(5);
        AvroSerdes serdes = new AvroSerdes(registryClient, true);
        try (KafkaProducer<String, VectorRecord> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                        ProducerConfig.LINGER_MS_CONFIG, 20),
                new StringSerializer(), serdes.vectorRecord().serializer())) {
            for (int i = 0; i < VECTORS; i++) {
                String id = "img-" + i;
                float[] v = TestVectors.randomUnitVector(random, model.dimension());
                String category = "c" + (i % 100);
                vectors.put(id, v);
                categories.put(id, category);
                producer.send(new ProducerRecord<>("vectors.image", id, VectorRecord.newBuilder().setId(id)
                        .setModality(Modality.IMAGE).setModelId(model.id()).setDimension(v.length)
                        .setVector(VectorRecords.toList(v)).setCategory(category).setMetadata(Map.of())
                        .setText(null).build()));
            }
            producer.flush();
        }
        awaitIndexedAcrossInstances(VECTORS);
        // Searchable at once (scanned exactly); then the background builder gives every sealed segment its graph.
        awaitGraphsAcrossInstances();

        List<String> texts = new ArrayList<>();
        for (int q = 0; q < QUERIES; q++) {
            texts.add("query number " + q + " about " + (q % 2 == 0 ? "cats" : "boats"));
        }
        for (int instance = 0; instance < 2; instance++) {
            double recall = recall(instance, texts);
            assertTrue(recall >= 0.95, "REST recall@10 on instance " + instance + " is " + recall);
        }

        // Deletes: tombstones for the best hits of every query (and more), which must then never come back.
        Set<String> deleted = new HashSet<>();
        for (String text : texts) {
            for (JsonNode hit : search(0, text, 10, null).get("hits")) {
                deleted.add(hit.get("id").asText());
            }
        }
        for (int i = 0; deleted.size() < DELETED; i++) {
            deleted.add("img-" + i);
        }
        try (KafkaProducer<String, VectorRecord> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(), serdes.vectorRecord().serializer())) {
            for (String id : deleted) {
                producer.send(new ProducerRecord<>("vectors.image", id, null));
            }
            producer.flush();
        }
        deleted.forEach(vectors::remove);
        awaitIndexedAcrossInstances(VECTORS - deleted.size());
        for (int instance = 0; instance < 2; instance++) {
            for (String text : texts) {
                for (JsonNode hit : search(instance, text, 10, null).get("hits")) {
                    assertFalse(deleted.contains(hit.get("id").asText()), hit + " was deleted");
                }
            }
            double recall = recall(instance, texts);
            assertTrue(recall >= 0.95, "REST recall@10 after deletes on instance " + instance + " is " + recall);
        }

        // A filter keeping 1% of the items: still k hits, all matching.
        for (String text : texts.subList(0, 10)) {
            JsonNode hits = search(1, text, 10, "c7").get("hits");
            assertEquals(10, hits.size(), "hits for category c7 (1% of the items)");
            for (JsonNode hit : hits) {
                assertEquals("c7", categories.get(hit.get("id").asText()), hit.toString());
            }
        }
    }

    static double recall(int instance, List<String> texts) {
        double sum = 0;
        for (String text : texts) {
            float[] query = model.text().embed(List.of(text)).get(0).vector();
            Set<String> truth = bruteForce(query, 10);
            JsonNode hits = search(instance, text, 10, null).get("hits");
            int found = 0;
            for (JsonNode hit : hits) {
                String id = hit.get("id").asText();
                found += truth.contains(id) ? 1 : 0;
                assertEquals(dot(query, vectors.get(id)), hit.get("score").floatValue(), 1e-4, "score of " + id);
            }
            sum += found / 10.0;
        }
        return sum / texts.size();
    }

    static JsonNode search(int instance, String text, int k, String category) {
        String filters = category == null ? "" : ", \"filters\": {\"category\": \"" + category + "\"}";
        Rest.Reply reply = Rest.post(ports[instance], "/v1/search",
                "{\"text\": \"" + text + "\", \"target\": \"IMAGE\", \"k\": " + k + filters + "}");
        assertEquals(200, reply.status(), reply.body().toString());
        assertTrue(reply.body().get("missingPartitions").isEmpty(), reply.body().toString());
        return reply.body();
    }

    /** Waits until the two instances' stores together hold {@code count} vectors (the index gauge of each). */
    /** Until no sealed segment on either instance waits for its graph, and there are segments. */
    static void awaitGraphsAcrossInstances() throws InterruptedException {
        Await.until(WAIT, "every sealed segment graphed on both instances", () -> {
            for (int port : ports) {
                String metrics = Rest.get(port, "/metrics").body().path("raw").asText("");
                Matcher awaiting = AWAITING_GRAPH.matcher(metrics);
                Matcher segments = SEGMENTS.matcher(metrics);
                if (!awaiting.find() || !segments.find() || Double.parseDouble(awaiting.group(1)) > 0
                        || Double.parseDouble(segments.group(1)) < 1) {
                    return false;
                }
            }
            return true;
        });
    }

    static void awaitIndexedAcrossInstances(int count) throws InterruptedException {
        Await.until(WAIT, count + " vectors across both instances", () -> {
            double total = 0;
            for (int port : ports) {
                Rest.Reply reply = Rest.get(port, "/metrics");
                Matcher m = INDEX_VECTORS.matcher(reply.body().path("raw").asText(""));
                if (reply.status() != 200 || !m.find()) {
                    return false;
                }
                total += Double.parseDouble(m.group(1));
            }
            Rest.Reply ready0 = Rest.get(ports[0], "/health/ready");
            Rest.Reply ready1 = Rest.get(ports[1], "/health/ready");
            return total == count && ready0.status() == 200 && ready1.status() == 200;
        });
    }

    static Set<String> bruteForce(float[] query, int k) {
        return new HashSet<>(vectors.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), dot(query, e.getValue())))
                .sorted(Map.Entry.<String, Float>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(k).map(Map.Entry::getKey).toList());
    }

    static float dot(float[] a, float[] b) {
        float sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
