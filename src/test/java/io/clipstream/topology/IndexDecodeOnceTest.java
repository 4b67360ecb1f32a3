package io.clipstream.topology;

import io.clipstream.store.VectorValue;
import io.clipstream.common.VectorRecords;
import io.clipstream.schema.Modality;
import io.clipstream.schema.VectorRecord;
import io.clipstream.search.StoreNames;
import io.clipstream.serde.ConfluentAvroSerializer;
import io.clipstream.serde.ConfluentVectorDecoder;
import io.clipstream.serde.DecodedVector;
import io.clipstream.serde.MemorySchemaRegistry;
import io.clipstream.serde.VectorRecordDecoder;
import io.clipstream.store.KnnQuery;
import io.clipstream.store.KnnResult;
import io.clipstream.store.ScoredHit;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A vector crosses from the topic to the index with one decode, through the real index topology on the production wire
 * format: one decode per record that arrives, none at the store's put, none of the old value on an update, no encode;
 * the store holds the topic's bytes; the whole record is decoded only when an item lookup asks for it.
 */
class IndexDecodeOnceTest {

    private static final ServedModel SERVED = new ServedModel("model-a", 8);
    private static final String TOPIC = Topics.DEFAULT.imageVectors();

    private final MemorySchemaRegistry registry = new MemorySchemaRegistry();
    private final ConfluentAvroSerializer<VectorRecord> producer =
            new ConfluentAvroSerializer<>(registry, VectorRecord.class, false, true);
    private final CountingDecoder decoder = new CountingDecoder(new ConfluentVectorDecoder(registry));
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> images;
    private TestOutputTopic<String, byte[]> deadLetters;

    @BeforeEach
    void start() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "index-decode-once-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, "target/streams-state/index-decode-once-test");
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class.getName());
        props.put(DeadLetterDeserializationHandler.TOPIC_CONFIG, Topics.DEFAULT.deadLetters());
        driver = new TopologyTestDriver(IndexTopology.build(Topics.DEFAULT, SERVED, decoder, props), props);
        images = driver.createInputTopic(TOPIC, Serdes.String().serializer(), Serdes.ByteArray().serializer());
        deadLetters = driver.createOutputTopic(Topics.DEFAULT.deadLetters(), Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void eachPutDecodesOnceAndNothingIsEncodedOrDecodedAgain() {
        Random random = new Random(21);
        List<Map.Entry<String, byte[]>> arrivals = new ArrayList<>();
        Map<String, byte[]> latest = new LinkedHashMap<>();
        Map<String, float[]> vectors = new HashMap<>();
        for (int i = 0; i < 50; i++) {
            arrivals.add(produce("item-" + i, random, latest, vectors));
        }
        for (int i = 0; i < 50; i += 3) {
            arrivals.add(produce("item-" + i, random, latest, vectors)); // updates: Kafka Streams reads each old value first
        }
        for (int i = 1; i < 50; i += 10) {
            arrivals.add(new AbstractMap.SimpleEntry<>("item-" + i, null));
            latest.remove("item-" + i);
        }
        int writerCallsBeforeIndexing = registry.writerCalls();
        for (Map.Entry<String, byte[]> arrival : arrivals) {
            images.pipeInput(arrival.getKey(), arrival.getValue());
        }
        long vectorArrivals = arrivals.stream().filter(arrival -> arrival.getValue() != null).count();

        assertEquals(vectorArrivals, decoder.decodes.get(), "one decode per arriving vector, none at the put or of old values");
        assertEquals(0, decoder.records.get(), "no whole record decoded on the way in");
        assertEquals(writerCallsBeforeIndexing, registry.writerCalls(), "nothing was encoded on the way");
        assertTrue(deadLetters.isEmpty());

        KeyValueStore<String, ValueAndTimestamp<VectorValue>> table = driver.getTimestampedKeyValueStore(StoreNames.IMAGE_STORE);
        for (Map.Entry<String, byte[]> entry : latest.entrySet()) {
            assertArrayEquals(entry.getValue(), table.get(entry.getKey()).value().wire(), "the store holds the topic's bytes");
        }
        assertEquals(vectorArrivals, decoder.decodes.get(), "reading values back from the store decodes nothing");

        for (String id : latest.keySet()) {
            List<ScoredHit> hits = search(vectors.get(id));
            assertEquals(id, hits.get(0).id(), "the index holds the latest vector of " + id);
            assertEquals(1f, hits.get(0).score(), 1e-5f);
        }

        String anItem = latest.keySet().iterator().next();
        StateStore store = driver.getAllStateStores().get(StoreNames.IMAGE_STORE);
        QueryResult<VectorValue> item = store.query(KeyQuery.<String, VectorValue>withKey(anItem), PositionBound.unbounded(),
                new QueryConfig(false));
        assertTrue(item.isSuccess(), String.valueOf(item));
        VectorRecord record = item.getResult().record();
        assertEquals(anItem, record.getId());
        assertArrayEquals(vectors.get(anItem), VectorRecords.toArray(record.getVector()));
        assertEquals(1, decoder.records.get(), "the item lookup decoded its record, when asked");
    }

    @Test
    void foreignAndUndecodableVectorsAreDeadLetteredOnTheFastPath() {
        Random random = new Random(5);
        float[] good = unitVector(random);
        images.pipeInput("good", producer.serialize(TOPIC, record("good", "model-a", Modality.IMAGE, good)));
        images.pipeInput("other", producer.serialize(TOPIC, record("other", "model-b", Modality.IMAGE, good)));
        images.pipeInput("short", producer.serialize(TOPIC, record("short", "model-a", Modality.IMAGE, new float[]{1, 0})));
        images.pipeInput("caption", producer.serialize(TOPIC, record("caption", "model-a", Modality.TEXT, good)));
        byte[] whole = producer.serialize(TOPIC, record("cut", "model-a", Modality.IMAGE, good));
        images.pipeInput("cut", Arrays.copyOf(whole, whole.length - 3));
        images.pipeInput("junk", "junk".getBytes(StandardCharsets.UTF_8));

        Map<String, String> reasons = new HashMap<>();
        for (TestRecord<String, byte[]> letter : deadLetters.readRecordsToList()) {
            reasons.put(letter.key(), new String(letter.headers().lastHeader(DeadLetter.REASON).value(), StandardCharsets.UTF_8));
        }
        assertEquals(5, reasons.size(), reasons.toString());
        assertTrue(reasons.get("other").contains("comes from model 'model-b'"), reasons.toString());
        assertTrue(reasons.get("short").contains("has dimension 2"), reasons.toString());
        assertTrue(reasons.get("caption").contains("is TEXT but sits on the IMAGE vector topic"), reasons.toString());
        assertTrue(reasons.get("cut").contains("could not be decoded as io.clipstream.schema.VectorRecord"), reasons.toString());
        assertTrue(reasons.get("junk").contains("not in the Confluent wire format"), reasons.toString());
        assertEquals(List.of("good"), search(good).stream().map(ScoredHit::id).toList());
    }

    private Map.Entry<String, byte[]> produce(String id, Random random, Map<String, byte[]> latest, Map<String, float[]> vectors) {
        float[] vector = unitVector(random);
        byte[] bytes = producer.serialize(TOPIC, record(id, "model-a", Modality.IMAGE, vector));
        latest.put(id, bytes);
        vectors.put(id, vector);
        return new AbstractMap.SimpleEntry<>(id, bytes);
    }

    private List<ScoredHit> search(float[] query) {
        StateStore store = driver.getAllStateStores().get(StoreNames.IMAGE_STORE);
        QueryResult<KnnResult> result = store.query(KnnQuery.of(query, 3), PositionBound.unbounded(), new QueryConfig(false));
        assertTrue(result.isSuccess(), String.valueOf(result));
        return result.getResult().hits();
    }

    private static VectorRecord record(String id, String model, Modality modality, float[] vector) {
        return VectorRecords.builder(id, modality, model, vector, "acme", "cats", Map.of("n", id)).build();
    }

    private static float[] unitVector(Random random) {
        float[] vector = new float[SERVED.dimension()];
        double norm = 0;
        for (int i = 0; i < vector.length; i++) {
            vector[i] = (float) random.nextGaussian();
            norm += (double) vector[i] * vector[i];
        }
        for (int i = 0; i < vector.length; i++) {
            vector[i] /= (float) Math.sqrt(norm);
        }
        return vector;
    }

    /** Counts what the topology asks of the production decoder. */
    private static final class CountingDecoder implements VectorRecordDecoder {
        final AtomicInteger decodes = new AtomicInteger();
        final AtomicInteger records = new AtomicInteger();
        private final VectorRecordDecoder inner;

        CountingDecoder(VectorRecordDecoder inner) {
            this.inner = inner;
        }

        @Override
        public DecodedVector decode(String topic, byte[] value) {
            decodes.incrementAndGet();
            return inner.decode(topic, value);
        }

        @Override
        public VectorRecord record(String topic, byte[] value) {
            records.incrementAndGet();
            return inner.record(topic, value);
        }
    }
}
