package io.clipstream.topology;

import io.clipstream.common.VectorRecords;
import io.clipstream.encoders.ClipModel;
import io.clipstream.encoders.EncoderSettings;
import io.clipstream.fetch.FetchLimits;
import io.clipstream.fetch.ImageFetcher;
import io.clipstream.fetch.UrlPolicy;
import io.clipstream.fetch.UrlPolicySettings;
import io.clipstream.schema.AlertSource;
import io.clipstream.schema.CaptionEvent;
import io.clipstream.schema.ConceptVector;
import io.clipstream.schema.ImageEvent;
import io.clipstream.schema.Modality;
import io.clipstream.schema.ModerationAlert;
import io.clipstream.schema.VectorRecord;
import io.clipstream.schema.WatchConcept;
import io.clipstream.serde.VectorRecordDecoder;
import io.clipstream.watchlist.ConceptSet;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The watchlist parts of the embedder and index topologies, on the test driver. */
class WatchlistTopologyTest {

    static ClipModel model;

    @BeforeAll
    static void openModel() {
        model = ClipModel.open(EncoderSettings.cpu(java.nio.file.Path.of("models/fixture-tiny")));
    }

    @AfterAll
    static void closeModel() {
        model.close();
    }

    static Properties props(String app) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, app);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, "target/streams-state/" + app);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class.getName());
        props.put(DeadLetterDeserializationHandler.TOPIC_CONFIG, Topics.DEFAULT.deadLetters());
        return props;
    }

    static byte[] concept(String id, float threshold, String prompt, boolean active, String tenant) {
        return PlainAvro.serializer(WatchConcept.class).serialize("t", WatchConcept.newBuilder().setId(id).setLabel("label-" + id)
                .setThreshold(threshold).setPrompt(prompt).setActive(active).setTenant(tenant).build());
    }

    static String header(TestRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    @Test
    void conceptsBecomeVectorsAndEveryEmbeddedImageIsScoredAgainstThemInItsOwnProcessing() throws Exception {
        Topics topics = Topics.DEFAULT;
        ConceptSet concepts = new ConceptSet(model.dimension(), 2);
        Serde<ConceptVector> conceptVectors = Serdes.serdeFrom(PlainAvro.serializer(ConceptVector.class),
                PlainAvro.deserializer(ConceptVector.class));
        EmbedderWatchlists watchlists = new EmbedderWatchlists(concepts, PlainAvro.deserializer(WatchConcept.class), conceptVectors,
                PlainAvro.serializer(ModerationAlert.class));
        try (TopologyTestDriver driver = new TopologyTestDriver(EmbedderTopology.build(topics, new BatchSettings(4, Duration.ofMillis(500)),
                model, PlainAvro.deserializer(ImageEvent.class), PlainAvro.deserializer(CaptionEvent.class),
                PlainAvro.serializer(VectorRecord.class), new ImageFetcher(new FetchLimits(1 << 20, Duration.ofSeconds(2), 2),
                        new UrlPolicy(UrlPolicySettings.ALLOW_PRIVATE)), watchlists), props("watchlist-embedder-test"))) {
            TestInputTopic<String, byte[]> watch = driver.createInputTopic(topics.watchlists(), Serdes.String().serializer(),
                    Serdes.ByteArray().serializer());
            TestInputTopic<String, byte[]> images = driver.createInputTopic(topics.images(), Serdes.String().serializer(),
                    Serdes.ByteArray().serializer());
            TestOutputTopic<String, ConceptVector> vectors = driver.createOutputTopic(topics.watchlistVectors(),
                    Serdes.String().deserializer(), PlainAvro.deserializer(ConceptVector.class));
            TestOutputTopic<String, byte[]> dead = driver.createOutputTopic(topics.deadLetters(), Serdes.String().deserializer(),
                    Serdes.ByteArray().deserializer());
            TestOutputTopic<String, ModerationAlert> alerts = driver.createOutputTopic(topics.alerts(), Serdes.String().deserializer(),
                    PlainAvro.deserializer(ModerationAlert.class));
            TestOutputTopic<String, VectorRecord> imageVectors = driver.createOutputTopic(topics.imageVectors(),
                    Serdes.String().deserializer(), PlainAvro.deserializer(VectorRecord.class));

            watch.pipeInput("any", concept("any", -1f, "a red apple", true, null)); // matches every image
            watch.pipeInput("off", concept("off", -1f, "a pear", false, null));
            watch.pipeInput("globex-only", concept("globex-only", -1f, "a lemon", true, "globex"));
            watch.pipeInput("third", concept("third", -1f, "a plum", true, null)); // over watchlists.max.concepts=2
            watch.pipeInput("bad", concept("bad", 3f, "a fig", true, null));

            var published = vectors.readKeyValuesToMap();
            assertEquals(3, published.size(), published.toString());
            assertNull(published.get("off"), "an inactive concept is a tombstone");
            float[] anyVector = VectorRecords.toArray(published.get("any").getVector());
            assertEquals(1.0, norm(anyVector), 1e-4);
            assertEquals("fixture-tiny", published.get("any").getModelId());
            assertEquals(2, concepts.size(), "the global store fed the concept set");
            List<TestRecord<String, byte[]>> letters = dead.readRecordsToList();
            assertEquals(List.of("third", "bad"), letters.stream().map(TestRecord::key).toList());
            assertEquals("TOO_MANY_CONCEPTS", header(letters.get(0), DeadLetter.REASON_CODE));
            assertEquals("BAD_THRESHOLD", header(letters.get(1), DeadLetter.REASON_CODE));

            images.pipeInput("img-1", EmbedderTopologyTest.imageEvent("img-1", EmbedderTopologyTest.fixtureImage(0), null));
            driver.advanceWallClockTime(Duration.ofMillis(600));
            VectorRecord image = imageVectors.readValue();
            List<ModerationAlert> raised = alerts.readValuesToList();
            assertEquals(1, raised.size(), "the acme image matches 'any' but not the globex-only concept: " + raised);
            ModerationAlert alert = raised.get(0);
            assertEquals("img-1", alert.getItemId());
            assertEquals("any", alert.getConceptId());
            assertEquals("label-any", alert.getLabel());
            assertEquals(AlertSource.STREAM, alert.getSource());
            assertEquals("acme", alert.getTenant());
            assertEquals("fruit", alert.getCategory());
            assertEquals(Map.of("sku", "img-1"), alert.getMetadata());
            assertEquals(dot(VectorRecords.toArray(image.getVector()), anyVector), alert.getScore(), 1e-5);

            watch.pipeInput("any", (byte[]) null);
            assertEquals(1, concepts.size());
            images.pipeInput("img-2", EmbedderTopologyTest.imageEvent("img-2", EmbedderTopologyTest.fixtureImage(1), null));
            driver.advanceWallClockTime(Duration.ofMillis(600));
            assertEquals("img-2", imageVectors.readValue().getId());
            assertTrue(alerts.isEmpty(), "a deleted concept raises nothing");
        }
    }

    @Test
    void aBackfillRequestScansTheImageStorePartitionOnce() {
        Topics topics = Topics.DEFAULT;
        ServedModel served = new ServedModel("model-a", 2);
        Serde<VectorRecord> vectorSerde = Serdes.serdeFrom(PlainAvro.serializer(VectorRecord.class), PlainAvro.deserializer(VectorRecord.class));
        Serde<ConceptVector> conceptSerde = Serdes.serdeFrom(PlainAvro.serializer(ConceptVector.class), PlainAvro.deserializer(ConceptVector.class));
        Properties props = props("watchlist-index-test");
        var app = IndexTopology.application(topics, served, VectorRecordDecoder.through(vectorSerde.deserializer()), props, null,
                new IndexWatchlists(conceptSerde, Serdes.serdeFrom(PlainAvro.serializer(ModerationAlert.class),
                        PlainAvro.deserializer(ModerationAlert.class))));
        try (TopologyTestDriver driver = new TopologyTestDriver(app.topology(), props)) {
            TestInputTopic<String, VectorRecord> images = driver.createInputTopic(topics.imageVectors(), Serdes.String().serializer(),
                    vectorSerde.serializer());
            TestInputTopic<String, byte[]> backfill = driver.createInputTopic(topics.watchlistBackfill(), Serdes.String().serializer(),
                    Serdes.ByteArray().serializer());
            TestOutputTopic<String, ModerationAlert> alerts = driver.createOutputTopic(topics.alerts(), Serdes.String().deserializer(),
                    PlainAvro.deserializer(ModerationAlert.class));
            TestOutputTopic<String, byte[]> dead = driver.createOutputTopic(topics.deadLetters(), Serdes.String().deserializer(),
                    Serdes.ByteArray().deserializer());
            float s = (float) Math.sqrt(0.5);
            for (int i = 0; i < 600; i++) {
                // Every third image points along x (score 1), the rest at 45 or 90 degrees from it.
                float[] v = i % 3 == 0 ? new float[]{1, 0} : i % 3 == 1 ? new float[]{s, s} : new float[]{0, 1};
                images.pipeInput("img-" + i, VectorRecord.newBuilder().setId("img-" + i).setModality(Modality.IMAGE)
                        .setModelId("model-a").setDimension(2).setVector(VectorRecords.toList(v))
                        .setTenant(i % 2 == 0 ? "acme" : "globex").setMetadata(Map.of("n", "" + i)).build());
            }
            backfill.pipeInput("x-axis", conceptSerde.serializer().serialize("t", ConceptVector.newBuilder().setId("x-axis")
                    .setLabel("x").setThreshold(0.9f).setModelId("model-a").setVector(List.of(1f, 0f)).build()));
            List<ModerationAlert> raised = alerts.readValuesToList();
            assertEquals(200, raised.size());
            assertTrue(raised.stream().allMatch(a -> a.getSource() == AlertSource.BACKFILL && a.getScore() >= 0.9f
                    && Integer.parseInt(a.getItemId().substring(4)) % 3 == 0 && a.getMetadata().get("n").equals(a.getItemId().substring(4))));

            backfill.pipeInput("diag-acme", conceptSerde.serializer().serialize("t", ConceptVector.newBuilder().setId("diag-acme")
                    .setLabel("d").setThreshold(0.99f).setTenant("acme").setModelId("model-a").setVector(List.of(s, s)).build()));
            raised = alerts.readValuesToList();
            assertEquals(100, raised.size(), "i % 3 == 1 and even: 100 of 600");
            assertTrue(raised.stream().allMatch(a -> "acme".equals(a.getTenant())));

            backfill.pipeInput("other-model", conceptSerde.serializer().serialize("t", ConceptVector.newBuilder().setId("other-model")
                    .setLabel("o").setThreshold(0f).setModelId("model-b").setVector(List.of(1f, 0f)).build()));
            backfill.pipeInput("garbage", "not avro".getBytes(StandardCharsets.UTF_8));
            assertTrue(alerts.isEmpty());
            List<TestRecord<String, byte[]>> letters = dead.readRecordsToList();
            assertEquals(List.of("other-model", "garbage"), letters.stream().map(TestRecord::key).toList());
            assertEquals("INVALID_BACKFILL", header(letters.get(0), DeadLetter.REASON_CODE));
        }
    }

    static double norm(float[] v) {
        return Math.sqrt(dot(v, v));
    }

    static float dot(float[] a, float[] b) {
        float sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
