package io.clipstream.it;

import io.clipstream.testing.Await;

import com.fasterxml.jackson.databind.JsonNode;
import io.clipstream.config.Settings;
import io.clipstream.embedded.DemoCorpus;
import io.clipstream.embedded.EmbeddedDemo;
import io.clipstream.schema.CaptionEvent;
import io.clipstream.schema.ImageEvent;
import io.clipstream.schemaregistry.HttpSchemaRegistryClient;
import io.clipstream.schemaregistry.SchemaRegistryClient;
import io.clipstream.schemaregistry.SchemaRegistryConfig;
import io.clipstream.serde.AvroSerdes;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `clipstream demo` as a user meets it: everything embedded, the bundled corpus published through
 * the real topics and embedded by the real embedder, cross-modal REST search, a newly produced
 * image becoming findable, and bad input of every kind answered clearly with nothing lost.
 */
class DemoEndToEndTest {

    static final Duration WAIT = Duration.ofSeconds(90);
    static EmbeddedDemo demo;
    static int port;
    static int corpusSize;

    @BeforeAll
    static void start() throws Exception {
        port = Rest.freePort();
        demo = EmbeddedDemo.start(Path.of("target", "it", "demo-" + UUID.randomUUID()),
                Map.of(Settings.HTTP_PORT.key(), Integer.toString(port), Settings.MODEL_DIR.key(), "models/fixture-tiny",
                        Settings.HTTP_HOST.key(), "127.0.0.1"));
        demo.awaitReady(WAIT);
        corpusSize = demo.publishCorpus();
        Await.until(WAIT, "the demo corpus to be searchable", () ->
                search("{\"text\": \"a red circle\", \"target\": \"ANY\", \"k\": 1000}").get("hits").size() == 2 * corpusSize);
    }

    @AfterAll
    static void stop() throws Exception {
        if (demo != null) {
            demo.close();
        }
    }

    static JsonNode search(String body) {
        Rest.Reply reply = Rest.post(port, "/v1/search", body);
        assertEquals(200, reply.status(), reply.body().toString());
        return reply.body();
    }

    @Test
    void textFindsImagesAndImageFindsCaptions() throws Exception {
        assertEquals(200, Rest.get(port, "/").status());
        JsonNode images = search("{\"text\": \"a red circle\", \"target\": \"IMAGE\", \"k\": 5}");
        assertEquals(5, images.get("hits").size());
        float previous = Float.MAX_VALUE;
        for (JsonNode hit : images.get("hits")) {
            assertEquals("IMAGE", hit.get("modality").asText());
            assertTrue(hit.get("score").floatValue() <= previous, "ranked best first");
            previous = hit.get("score").floatValue();
        }
        DemoCorpus.Item item = DemoCorpus.items().get(0);
        String base64 = Base64.getEncoder().encodeToString(DemoCorpus.image(item));
        JsonNode captions = search("{\"imageBase64\": \"" + base64 + "\", \"target\": \"TEXT\", \"k\": 3}");
        assertEquals(3, captions.get("hits").size());
        assertEquals("TEXT", captions.get("hits").get(0).get("modality").asText());
        assertTrue(captions.get("hits").get(0).has("text"));

        JsonNode sameImage = search("{\"imageBase64\": \"" + base64 + "\", \"target\": \"IMAGE\", \"k\": 1}");
        assertEquals(item.id(), sameImage.get("hits").get(0).get("id").asText(), "an indexed image is its own nearest image");
        assertEquals(1.0, sameImage.get("hits").get(0).get("score").floatValue(), 1e-4);
    }

    @Test
    void aNewImageFromAnyConfluentCompatibleProducerBecomesFindable() throws Exception {
        byte[] png = Files.readAllBytes(Path.of("src/test/resources/fixtures/model-parity/images/01.png"));
        try (SchemaRegistryClient client = new HttpSchemaRegistryClient(SchemaRegistryConfig.of(demo.schemaRegistryUrl()));
             KafkaProducer<String, ImageEvent> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                     demo.bootstrapServers()), new StringSerializer(), new AvroSerdes(client, true).imageEvent().serializer())) {
            producer.send(new ProducerRecord<>("media.images", "fresh-upload", ImageEvent.newBuilder().setId("fresh-upload")
                    .setBytes(ByteBuffer.wrap(png)).setTenant("acme").setMetadata(Map.of("sku", "42")).build())).get();
        }
        Await.until(WAIT, "the new image to be indexed", () -> Rest.get(port, "/v1/items/fresh-upload").status() == 200);
        String base64 = Base64.getEncoder().encodeToString(png);
        JsonNode found = search("{\"imageBase64\": \"" + base64 + "\", \"target\": \"IMAGE\", \"k\": 1, \"filters\": {\"tenant\": \"acme\"}}");
        assertEquals("fresh-upload", found.get("hits").get(0).get("id").asText());
        assertEquals("42", found.get("hits").get(0).get("metadata").get("sku").asText());
    }

    @Test
    void aMixOfGoodAndBadEventsLosesNothing() throws Exception {
        byte[] png = Files.readAllBytes(Path.of("src/test/resources/fixtures/model-parity/images/02.png"));
        Map<String, byte[]> badImages = new HashMap<>();
        Set<String> goodImages = new HashSet<>();
        try (SchemaRegistryClient client = new HttpSchemaRegistryClient(SchemaRegistryConfig.of(demo.schemaRegistryUrl()))) {
            AvroSerdes serdes = new AvroSerdes(client, true);
            var imageSerializer = serdes.imageEvent().serializer();
            var captionSerializer = serdes.captionEvent().serializer();
            for (int i = 0; i < 10; i++) {
                goodImages.add("mix-good-" + i);
            }
            badImages.put("mix-not-avro", "{\"id\": 1}".getBytes(StandardCharsets.UTF_8));
            byte[] unknownSchema = imageSerializer.serialize("media.images", event("mix-unknown-schema", png, null));
            unknownSchema[1] = 0x7f; // a schema id the registry never issued
            badImages.put("mix-unknown-schema", unknownSchema);
            badImages.put("mix-no-image", imageSerializer.serialize("media.images", event("mix-no-image", null, null)));
            badImages.put("mix-unreachable-url", imageSerializer.serialize("media.images",
                    event("mix-unreachable-url", null, "http://127.0.0.1:9/missing.png")));
            badImages.put("mix-corrupt", imageSerializer.serialize("media.images", event("mix-corrupt", Arrays.copyOf(png, 100), null)));
            badImages.put("mix-pdf", imageSerializer.serialize("media.images",
                    event("mix-pdf", "%PDF-1.7\n1 0 obj".getBytes(StandardCharsets.US_ASCII), null)));
            byte[] emptyCaption = captionSerializer.serialize("media.captions",
                    CaptionEvent.newBuilder().setId("mix-empty-caption").setText(" ").build());
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    demo.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
                int n = 0;
                for (String id : goodImages) {
                    producer.send(new ProducerRecord<>("media.images", id, imageSerializer.serialize("media.images", event(id, png, null))));
                    List<String> bad = badImages.keySet().stream().sorted().toList();
                    if (n < bad.size()) {
                        producer.send(new ProducerRecord<>("media.images", bad.get(n), badImages.get(bad.get(n))));
                    }
                    n++;
                }
                producer.send(new ProducerRecord<>("media.captions", "mix-empty-caption", emptyCaption));
                producer.flush();
            }
        }
        for (String id : goodImages) {
            Await.until(WAIT, id + " to be indexed", () -> Rest.get(port, "/v1/items/" + id).status() == 200);
        }
        Set<String> expectedLetters = new HashSet<>(badImages.keySet());
        expectedLetters.add("mix-empty-caption");
        List<ConsumerRecord<String, byte[]>> letters = IndexClusterTest.readAllFrom(demo.bootstrapServers(), "clipstream.dlq",
                expectedLetters.size());
        Map<String, ConsumerRecord<String, byte[]>> byKey = new HashMap<>();
        letters.forEach(letter -> byKey.put(letter.key(), letter));
        assertEquals(expectedLetters, byKey.keySet().stream().filter(k -> k.startsWith("mix-")).collect(java.util.stream.Collectors.toSet()));
        badImages.forEach((id, bytes) -> assertTrue(Arrays.equals(bytes, byKey.get(id).value()), "original bytes kept for " + id));
        for (ConsumerRecord<String, byte[]> letter : byKey.values()) {
            assertTrue(letter.headers().lastHeader("clipstream.dlq.reason").value().length > 0);
        }
    }

    static ImageEvent event(String id, byte[] bytes, String url) {
        return ImageEvent.newBuilder().setId(id).setBytes(bytes == null ? null : ByteBuffer.wrap(bytes)).setUrl(url).build();
    }

    @Test
    void badSearchesGetA4xxThatSaysWhatIsWrong() {
        Map<String, String> cases = new HashMap<>();
        cases.put("{\"text\": \"x\", \"k\": 0}", "k must be between 1 and 1000");
        cases.put("{\"text\": \"x\", \"k\": 1001}", "k must be between 1 and 1000");
        cases.put("{\"text\": \"x\", \"target\": \"VIDEO\"}", "target 'VIDEO' is not one of IMAGE, TEXT, ANY");
        cases.put("{\"text\": \"x\"", "malformed JSON");
        cases.put("[1, 2]", "must be a JSON object");
        cases.put("{}", "give exactly one of text, imageBase64");
        cases.put("{\"text\": \"x\", \"itemId\": \"y\"}", "give exactly one of text, imageBase64");
        cases.put("{\"txt\": \"x\"}", "unknown field 'txt'");
        cases.put("{\"text\": \"   \"}", "text is empty");
        cases.put("{\"text\": \"x\", \"k\": \"ten\"}", "k must be an integer");
        cases.put("{\"imageBase64\": \"%%%\"}", "not valid base64");
        cases.put("{\"imageBase64\": \"" + Base64.getEncoder().encodeToString("%PDF-1.4 hello".getBytes(StandardCharsets.US_ASCII))
                + "\"}", "PDF");
        cases.put("{\"itemId\": \"never-indexed\"}", "is not indexed");
        cases.put("{\"text\": \"x\", \"filters\": {\"tenant\": {\"nested\": 1}}}", "filter 'tenant' must be a string");
        cases.forEach((body, message) -> {
            Rest.Reply reply = Rest.post(port, "/v1/search", body);
            assertTrue(reply.status() >= 400 && reply.status() < 500, body + " -> " + reply.status() + " " + reply.body());
            assertTrue(reply.body().get("error").asText().contains(message), body + " -> " + reply.body());
        });
        assertEquals(405, Rest.get(port, "/v1/search").status());
        assertEquals(404, Rest.get(port, "/v1/items/never-indexed").status());
        Rest.Reply tooBig = Rest.post(port, "/v1/search", "{\"text\": \"" + "a".repeat(17 * 1024 * 1024) + "\"}");
        assertEquals(413, tooBig.status());
    }

    @Test
    void healthReadinessAndMetrics() {
        assertEquals(200, Rest.get(port, "/health/live").status());
        Rest.Reply ready = Rest.get(port, "/health/ready");
        assertEquals(200, ready.status());
        assertEquals("RUNNING", ready.body().get("applications").get("index").asText());
        Rest.Reply metrics = Rest.get(port, "/metrics");
        assertEquals(200, metrics.status());
        String text = metrics.body().get("raw").asText();
        assertTrue(text.contains("clipstream_search_seconds"), "search timer exported");
        assertTrue(text.contains("kafka_stream"), "Kafka Streams metrics bound");
    }

    @Test
    void demoImagesAreTaggedShowTheirTagsAndFilterByThem() throws Exception {
        List<String> vocabulary = io.clipstream.tagging.TaggingSettings.readLabels(EmbeddedDemo.DEMO_LABELS, null);
        JsonNode hits = search("{\"text\": \"a house\", \"target\": \"IMAGE\", \"k\": 5}").get("hits");
        assertEquals(5, hits.size());
        for (JsonNode hit : hits) {
            JsonNode labels = hit.get("labels");
            assertEquals(3, labels.size(), hit.toString());
            for (int i = 0; i < labels.size(); i++) {
                assertTrue(vocabulary.contains(labels.get(i).get("label").asText()), labels.toString());
                assertTrue(i == 0 || labels.get(i - 1).get("score").floatValue() >= labels.get(i).get("score").floatValue());
            }
        }
        String label = hits.get(0).get("labels").get(0).get("label").asText();
        JsonNode filtered = search("{\"text\": \"a house\", \"target\": \"ANY\", \"k\": 1000, \"filters\": {\"label\": \""
                + label + "\"}}").get("hits");
        assertTrue(filtered.size() >= 1);
        for (JsonNode hit : filtered) {
            assertEquals("IMAGE", hit.get("modality").asText(), "captions carry no labels");
            List<String> own = new java.util.ArrayList<>();
            hit.get("labels").forEach(l -> own.add(l.get("label").asText()));
            assertTrue(own.contains(label), label + " not among " + own);
        }
        assertEquals(0, search("{\"text\": \"a house\", \"k\": 10, \"filters\": {\"label\": \"zeppelin\"}}")
                .get("hits").size());

        List<ConsumerRecord<String, byte[]>> annotations = IndexClusterTest.readAllFrom(demo.bootstrapServers(), "annotations",
                corpusSize);
        try (SchemaRegistryClient client = new HttpSchemaRegistryClient(SchemaRegistryConfig.of(demo.schemaRegistryUrl()))) {
            var decode = new AvroSerdes(client, false).value(io.clipstream.schema.ImageAnnotation.class).deserializer();
            Set<String> annotated = new HashSet<>();
            for (ConsumerRecord<String, byte[]> record : annotations) {
                var annotation = decode.deserialize("annotations", record.value());
                assertEquals(record.key(), annotation.getId());
                assertEquals(3, annotation.getLabels().size());
                annotated.add(annotation.getId());
            }
            DemoCorpus.items().forEach(item -> assertTrue(annotated.contains(item.id()), item.id() + " was not annotated"));
        }
    }
}
