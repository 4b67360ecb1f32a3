package io.clipstream.topology;

import io.clipstream.common.VectorRecords;
import io.clipstream.schema.Modality;
import io.clipstream.schema.VectorRecord;
import io.clipstream.search.StoreNames;
import io.clipstream.serde.VectorRecordDecoder;
import io.clipstream.store.KnnQuery;
import io.clipstream.store.KnnResult;
import io.clipstream.store.ScoredHit;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The index topology: vectors in, searchable at once, deletes honoured, foreign vectors dead-lettered. */
class IndexTopologyTest {

    static final ServedModel SERVED = new ServedModel("model-a", 4);
    TopologyTestDriver driver;
    TestInputTopic<String, byte[]> images;
    TestOutputTopic<String, byte[]> deadLetters;
    final Serde<VectorRecord> vectors = Serdes.serdeFrom(PlainAvro.serializer(VectorRecord.class), PlainAvro.deserializer(VectorRecord.class));

    @BeforeEach
    void start() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "index-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, "target/streams-state/index-test");
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class.getName());
        props.put(DeadLetterDeserializationHandler.TOPIC_CONFIG, Topics.DEFAULT.deadLetters());
        driver = new TopologyTestDriver(IndexTopology.build(Topics.DEFAULT, SERVED, VectorRecordDecoder.through(vectors.deserializer()), props), props);
        images = driver.createInputTopic(Topics.DEFAULT.imageVectors(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
        deadLetters = driver.createOutputTopic(Topics.DEFAULT.deadLetters(), Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    byte[] vector(String id, String model, float... values) {
        return vectors.serializer().serialize("t", VectorRecord.newBuilder().setId(id).setModality(Modality.IMAGE).setModelId(model)
                .setDimension(values.length).setVector(VectorRecords.toList(values)).setCategory("c-" + id).build());
    }

    List<ScoredHit> search(float[] query, int k) {
        StateStore store = driver.getAllStateStores().get(StoreNames.IMAGE_STORE);
        QueryResult<KnnResult> result = store.query(KnnQuery.of(query, k), PositionBound.unbounded(), new QueryConfig(false));
        assertTrue(result.isSuccess(), String.valueOf(result));
        return result.getResult().hits();
    }

    @Test
    void vectorsAreSearchableAtOnceAndDeletesAreHonoured() {
        images.pipeInput("a", vector("a", "model-a", 1, 0, 0, 0));
        images.pipeInput("b", vector("b", "model-a", 0, 1, 0, 0));
        images.pipeInput("c", vector("c", "model-a", 0.6f, 0.8f, 0, 0));

        assertEquals(List.of("a", "c", "b"), search(new float[]{1, 0, 0, 0}, 3).stream().map(ScoredHit::id).toList());

        images.pipeInput("a", (byte[]) null);
        images.pipeInput("c", vector("c", "model-a", 0, 0, 1, 0));
        assertEquals(List.of("b", "c"), search(new float[]{1, 0, 0, 0}, 3).stream().map(ScoredHit::id).sorted().toList());
        assertEquals("c", search(new float[]{0, 0, 1, 0}, 1).get(0).id(), "the update replaced the old vector");
    }

    @Test
    void foreignVectorsAreDeadLetteredAndNeverServed() {
        images.pipeInput("good", vector("good", "model-a", 1, 0, 0, 0));
        images.pipeInput("other", vector("other", "model-b", 1, 0, 0, 0));
        images.pipeInput("short", vector("short", "model-a", 1, 0));
        images.pipeInput("junk", "junk".getBytes(StandardCharsets.UTF_8));

        List<TestRecord<String, byte[]>> letters = deadLetters.readRecordsToList();
        Map<String, String> reasons = new java.util.HashMap<>();
        letters.forEach(r -> reasons.put(r.key(), new String(r.headers().lastHeader(DeadLetter.REASON).value(), StandardCharsets.UTF_8)));
        assertEquals(3, letters.size(), reasons.toString());
        assertTrue(reasons.get("other").contains("model-b"), reasons.toString());
        assertTrue(reasons.get("short").contains("dimension 2"), reasons.toString());
        assertTrue(reasons.containsKey("junk"));
        assertEquals(List.of("good"), search(new float[]{1, 0, 0, 0}, 10).stream().map(ScoredHit::id).toList());
    }

    @Test
    void thumbnailsAreMaterialisedBesideTheVectorsAndDeletedByTombstones() {
        TestInputTopic<String, byte[]> thumbs = driver.createInputTopic(Topics.DEFAULT.thumbnails(), Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, 1, 2, 3};
        thumbs.pipeInput("a", jpeg);
        thumbs.pipeInput("b", new byte[]{(byte) 0xFF, (byte) 0xD8, 9});
        org.apache.kafka.streams.state.KeyValueStore<String, byte[]> store = driver.getKeyValueStore(StoreNames.THUMBNAIL_STORE);
        org.junit.jupiter.api.Assertions.assertArrayEquals(jpeg, store.get("a"));

        thumbs.pipeInput("a", (byte[]) null);
        org.junit.jupiter.api.Assertions.assertNull(store.get("a"));
        assertEquals(3, store.get("b").length);
        assertTrue(deadLetters.isEmpty());
        // Its topic is its changelog (reuse.ktable.source.topics), so no thumbnail is stored in Kafka twice.
        assertTrue(driver.producedTopicNames().stream().noneMatch(topic -> topic.contains(StoreNames.THUMBNAIL_STORE)),
                String.valueOf(driver.producedTopicNames()));
    }
}
