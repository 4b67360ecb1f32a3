package io.clipstream.topology;

import io.clipstream.common.VectorRecords;
import io.clipstream.encoders.ClipModel;
import io.clipstream.encoders.EncoderSettings;
import io.clipstream.fetch.FetchLimits;
import io.clipstream.fetch.ImageFetcher;
import io.clipstream.fetch.UrlPolicy;
import io.clipstream.fetch.UrlPolicySettings;
import io.clipstream.schema.CaptionEvent;
import io.clipstream.schema.ImageAnnotation;
import io.clipstream.schema.ImageEvent;
import io.clipstream.schema.ScoredLabel;
import io.clipstream.schema.VectorRecord;
import io.clipstream.common.Tag;
import io.clipstream.tagging.TaggingSettings;
import io.clipstream.tagging.ZeroShotTagger;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Zero-shot tagging in the embedder: labels on the image vector records and annotations beside them, or nothing when off. */
class EmbedderTaggingTopologyTest {

    static final List<String> VOCABULARY = List.of("apple", "banana", "boat", "car", "cat", "dog", "house", "tree");
    static ClipModel model;
    static ZeroShotTagger tagger;

    @BeforeAll
    static void openModel() {
        model = ClipModel.open(EncoderSettings.cpu(java.nio.file.Path.of("models/fixture-tiny")));
        tagger = ZeroShotTagger.build(model.text(), new TaggingSettings(VOCABULARY, TaggingSettings.DEFAULT_TEMPLATES, 3));
    }

    @AfterAll
    static void closeModel() {
        model.close();
    }

    record Driven(TopologyTestDriver driver, TestInputTopic<String, byte[]> images, TestInputTopic<String, byte[]> captions,
                  TestOutputTopic<String, VectorRecord> imageVectors, TestOutputTopic<String, ImageAnnotation> annotations,
                  TestOutputTopic<String, byte[]> deadLetters) implements AutoCloseable {
        @Override
        public void close() {
            driver.close();
        }
    }

    static Driven drive(ZeroShotTagger withTagger) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "embedder-tagging-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, "target/streams-state/embedder-tagging-test");
        Topics topics = Topics.DEFAULT;
        TopologyTestDriver driver = new TopologyTestDriver(EmbedderTopology.build(topics, new BatchSettings(4, Duration.ofMillis(500)),
                model, PlainAvro.deserializer(ImageEvent.class), PlainAvro.deserializer(CaptionEvent.class),
                PlainAvro.serializer(VectorRecord.class), new ImageFetcher(new FetchLimits(1 << 20, Duration.ofSeconds(2), 2),
                        new UrlPolicy(UrlPolicySettings.ALLOW_PRIVATE)), withTagger, PlainAvro.serializer(ImageAnnotation.class), null),
                props);
        return new Driven(driver,
                driver.createInputTopic(topics.images(), Serdes.String().serializer(), Serdes.ByteArray().serializer()),
                driver.createInputTopic(topics.captions(), Serdes.String().serializer(), Serdes.ByteArray().serializer()),
                driver.createOutputTopic(topics.imageVectors(), Serdes.String().deserializer(), PlainAvro.deserializer(VectorRecord.class)),
                driver.createOutputTopic(topics.annotations(), Serdes.String().deserializer(), PlainAvro.deserializer(ImageAnnotation.class)),
                driver.createOutputTopic(topics.deadLetters(), Serdes.String().deserializer(), Serdes.ByteArray().deserializer()));
    }

    /** The labels the tagger gives one vector on its own, as the record carries them. */
    static List<String> expectedLabels(VectorRecord record) {
        return tagger.tag(new float[][]{VectorRecords.toArray(record.getVector())}).get(0).stream().map(Tag::label).toList();
    }

    static List<String> labelsOf(List<ScoredLabel> labels) {
        return labels.stream().map(ScoredLabel::getLabel).toList();
    }

    @Test
    void everyImageOfABatchCarriesItsOwnBestLabelsBestFirstAndIsAnnotated() throws Exception {
        try (Driven t = drive(tagger)) {
            // A bad record in the middle of the batch goes to the dead-letter topic and must not shift the others' labels.
            t.images().pipeInput("img-0", EmbedderTopologyTest.imageEvent("img-0", EmbedderTopologyTest.fixtureImage(0), null));
            t.images().pipeInput("img-1", EmbedderTopologyTest.imageEvent("img-1", EmbedderTopologyTest.fixtureImage(1), null));
            t.images().pipeInput("bad", "not avro".getBytes(StandardCharsets.UTF_8));
            t.images().pipeInput("img-2", EmbedderTopologyTest.imageEvent("img-2", EmbedderTopologyTest.fixtureImage(2), null));
            t.captions().pipeInput("cap-1", EmbedderTopologyTest.captionEvent("cap-1", "a red apple"));
            t.driver().advanceWallClockTime(Duration.ofMillis(600));

            Map<String, VectorRecord> vectors = t.imageVectors().readValuesToList().stream()
                    .collect(Collectors.toMap(VectorRecord::getId, Function.identity()));
            assertEquals(List.of("img-0", "img-1", "img-2"), vectors.keySet().stream().sorted().toList());
            Map<String, ImageAnnotation> annotations = t.annotations().readKeyValuesToMap();
            assertEquals(vectors.keySet(), annotations.keySet(), "one annotation per embedded image, none for captions or bad input");
            assertEquals(1, t.deadLetters().readValuesToList().size());

            boolean allSame = true;
            List<String> first = labelsOf(vectors.get("img-0").getLabels());
            for (VectorRecord record : vectors.values()) {
                List<ScoredLabel> labels = record.getLabels();
                assertEquals(3, labels.size(), "tagging.top labels");
                assertEquals(expectedLabels(record), labelsOf(labels), "labels of " + record.getId() + " are its own vector's");
                for (int i = 1; i < labels.size(); i++) {
                    assertTrue(labels.get(i - 1).getScore() >= labels.get(i).getScore(), "best first: " + labels);
                }
                assertTrue(VOCABULARY.containsAll(labelsOf(labels)));
                allSame &= first.equals(labelsOf(labels));

                ImageAnnotation annotation = annotations.get(record.getId());
                assertEquals(record.getId(), annotation.getId());
                assertEquals("fixture-tiny", annotation.getModelId());
                assertEquals(labels, annotation.getLabels());
                assertEquals("acme", annotation.getTenant());
                assertEquals("fruit", annotation.getCategory());
                assertEquals(Map.of("sku", record.getId()), annotation.getMetadata());
            }
            assertFalse(allSame, "different images should not all get the same ranked labels (a mix-up would hide here)");
        }
    }

    @Test
    void captionsCarryNoLabels() throws Exception {
        try (Driven t = drive(tagger)) {
            t.captions().pipeInput("cap-1", EmbedderTopologyTest.captionEvent("cap-1", "a red apple"));
            t.driver().advanceWallClockTime(Duration.ofMillis(600));
            assertTrue(t.annotations().isEmpty());
        }
    }

    @Test
    void taggingOffWritesNoLabelsAndNoAnnotations() throws Exception {
        try (Driven t = drive(null)) {
            t.images().pipeInput("img-0", EmbedderTopologyTest.imageEvent("img-0", EmbedderTopologyTest.fixtureImage(0), null));
            t.driver().advanceWallClockTime(Duration.ofMillis(600));
            VectorRecord record = t.imageVectors().readValue();
            assertEquals(List.of(), record.getLabels());
            assertNotEquals(null, record.getVector());
            assertTrue(t.driver().producedTopicNames().stream().noneMatch(Topics.DEFAULT.annotations()::equals),
                    "nothing is written to the annotations topic: " + t.driver().producedTopicNames());
        }
    }
}
