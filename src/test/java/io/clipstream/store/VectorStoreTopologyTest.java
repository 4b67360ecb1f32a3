package io.clipstream.store;

import io.clipstream.index.AnnSettings;
import io.clipstream.index.FieldFilter;
import io.clipstream.index.IndexHit;
import io.clipstream.index.IndexedVector;
import io.clipstream.testing.TestVectors;

import io.clipstream.schema.VectorRecord;
import io.clipstream.testing.TestVectors.Item;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.query.FailureReason;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store inside a real KTable topology ({@link TopologyTestDriver}): puts, updates and tombstones reach both
 * RocksDB and the index, rejected vectors reach neither, and {@link KnnQuery} and {@code KeyQuery} pass through the
 * wrappers Kafka Streams puts around the store.
 */
class VectorStoreTopologyTest {

    private static final String TOPIC = "vectors.image";
    private static final String STORE = "vectors-image-store";
    private static final int DIMENSION = 16;

    private final PlainAvroVectorSerde serde = new PlainAvroVectorSerde();
    private final VectorStoreSupplier supplier =
            new VectorStoreSupplier(STORE, PlainAvroVectorSerde.decoder(), new VectorStoreSettings(DIMENSION, "test-model"));

    @Test
    void indexFollowsPutsUpdatesAndTombstonesAndLeavesRejectedVectorsOut() {
        Random random = new Random(42);
        Map<String, Item> expected = new LinkedHashMap<>();
        try (TopologyTestDriver driver = driver(supplier.materialized(serde))) {
            TestInputTopic<String, VectorRecord> input =
                    driver.createInputTopic(TOPIC, new StringSerializer(), serde.serializer());
            for (int i = 0; i < 150; i++) {
                pipe(input, expected, TestVectors.randomRecord(random, "item-" + i, DIMENSION));
            }
            List<String> ids = new ArrayList<>(expected.keySet());
            for (int i = 0; i < 30; i++) {
                pipe(input, expected, TestVectors.randomRecord(random, ids.get(random.nextInt(ids.size())), DIMENSION));
            }
            for (int i = 0; i < 15; i++) {
                String id = ids.get(random.nextInt(ids.size()));
                input.pipeInput(id, null);
                expected.remove(id);
            }
            // Rejected: a new id of the wrong dimension, a non-normalised update of an indexed id (which must also
            // drop the id's earlier vector), a NaN vector, and a record keyed by another id than its own.
            String updatedToInvalid = expected.keySet().iterator().next();
            input.pipeInput("wrong-dimension", TestVectors.randomRecord(random, "wrong-dimension", DIMENSION + 1));
            input.pipeInput(updatedToInvalid, TestVectors.record(updatedToInvalid, scaled(
                    TestVectors.randomUnitVector(random, DIMENSION), 2f), "acme", "cats"));
            float[] withNaN = TestVectors.randomUnitVector(random, DIMENSION);
            withNaN[3] = Float.NaN;
            input.pipeInput("not-a-number", TestVectors.record("not-a-number", withNaN, "acme", "cats"));
            input.pipeInput("key-of-a", TestVectors.randomRecord(random, "id-of-b", DIMENSION));
            expected.remove(updatedToInvalid);

            VectorStore store = supplier.openStores().forPartition(0).orElseThrow();
            assertEquals(expected.size(), store.size());
            assertEquals(4, store.rejectedCount());
            assertEquals(4, supplier.rejectedCount());
            // float32 components, int8 codes with their scale and the graph edges at full degree (the default store has
            // an int8_float32 ANN graph).
            assertEquals(DIMENSION * 4L + DIMENSION + 4L + AnnSettings.DEFAULTS.degree() * 4L, store.bytesPerVector());

            KeyValueStore<String, VectorRecord> table = driver.getKeyValueStore(STORE);
            assertEquals(expected.keySet(), keysOf(table), "RocksDB holds exactly the accepted vectors");
            for (Item item : expected.values()) {
                assertArrayEquals(item.vector(), IndexedVector.from(table.get(item.id())).vector());
            }
            for (String rejectedOrDeleted : List.of("wrong-dimension", updatedToInvalid, "not-a-number", "key-of-a")) {
                assertNull(table.get(rejectedOrDeleted), rejectedOrDeleted);
            }
            String anItem = expected.keySet().iterator().next();
            QueryResult<VectorRecord> item = driver.getAllStateStores().get(STORE).query(
                    KeyQuery.<String, VectorRecord>withKey(anItem), PositionBound.unbounded(), new QueryConfig(true));
            assertTrue(item.isSuccess(), () -> item.getFailureReason() + ": " + item.getFailureMessage());
            assertNotNull(item.getResult(), () -> "KeyQuery for " + anItem + ": " + item.getExecutionInfo());
            assertArrayEquals(expected.get(anItem).vector(), IndexedVector.from(item.getResult()).vector());

            for (int q = 0; q < 5; q++) {
                float[] vector = TestVectors.randomUnitVector(random, DIMENSION);
                assertSearchMatchesBruteForce(store, expected, KnnQuery.of(vector, 10));
                assertSearchMatchesBruteForce(store, expected, KnnQuery.of(vector, 1000));
                assertSearchMatchesBruteForce(store, expected,
                        KnnQuery.of(vector, 7).withFilters(Map.of("tenant", "acme", "category", "dogs")));
                assertSearchMatchesBruteForce(store, expected, KnnQuery.of(vector, 20).withMinScore(0.2f));
            }
            assertTrue(driver.producedTopicNames().stream().noneMatch(topic -> topic.endsWith("-changelog")),
                    "the vector topic is the changelog; nothing else is written: " + driver.producedTopicNames());
        }
    }

    @Test
    void knnAndKeyQueriesPassThroughTheMeteredAndCachingWrappers() {
        Random random = new Random(9);
        Map<String, Item> expected = new LinkedHashMap<>();
        // The lead's materialisation as written in the design, record cache included.
        Materialized<String, VectorRecord, KeyValueStore<Bytes, byte[]>> cached =
                Materialized.<String, VectorRecord>as(supplier).withKeySerde(Serdes.String()).withValueSerde(serde);
        try (TopologyTestDriver driver = driver(cached)) {
            TestInputTopic<String, VectorRecord> input =
                    driver.createInputTopic(TOPIC, new StringSerializer(), serde.serializer());
            for (int i = 0; i < 60; i++) {
                pipe(input, expected, TestVectors.randomRecord(random, "item-" + i, DIMENSION));
            }
            input.pipeInput("item-7", null);
            expected.remove("item-7");
            StateStore outermost = driver.getAllStateStores().get(STORE);
            float[] vector = TestVectors.randomUnitVector(random, DIMENSION);
            KnnQuery query = KnnQuery.of(vector, 5).withFilters(Map.of("category", "cats"));

            QueryResult<KnnResult> knn = outermost.query(query, PositionBound.unbounded(), new QueryConfig(true));

            assertTrue(knn.isSuccess(), () -> knn.getFailureReason() + ": " + knn.getFailureMessage());
            assertEquals(hitsOf(TestVectors.bruteForce(expected.values(), vector, 5,
                    FieldFilter.of(Map.of("category", "cats")), Float.NEGATIVE_INFINITY)), hitIds(knn.getResult()));
            String route = String.join("\n", knn.getExecutionInfo());
            assertTrue(route.contains("CachingKeyValueStore") && route.contains(VectorStore.class.getName()), route);

            QueryResult<VectorRecord> item = outermost.query(KeyQuery.<String, VectorRecord>withKey("item-3"),
                    PositionBound.unbounded(), new QueryConfig(false));
            assertTrue(item.isSuccess(), () -> item.getFailureReason() + ": " + item.getFailureMessage());
            assertArrayEquals(expected.get("item-3").vector(), IndexedVector.from(item.getResult()).vector());
            QueryResult<VectorRecord> deleted = outermost.query(KeyQuery.<String, VectorRecord>withKey("item-7"),
                    PositionBound.unbounded(), new QueryConfig(false));
            assertTrue(deleted.isSuccess());
            assertNull(deleted.getResult());

            QueryResult<KnnResult> wrongDimension = outermost.query(KnnQuery.of(new float[] {1f, 0f}, 3),
                    PositionBound.unbounded(), new QueryConfig(false));
            assertTrue(wrongDimension.isFailure());
            assertEquals(FailureReason.STORE_EXCEPTION, wrongDimension.getFailureReason());
            assertTrue(wrongDimension.getFailureMessage().contains("query vector has 2 components"),
                    wrongDimension.getFailureMessage());

            Position ahead = Position.emptyPosition().withComponent(TOPIC, 0, 1_000_000L);
            QueryResult<KnnResult> bounded = outermost.query(query, PositionBound.at(ahead), new QueryConfig(false));
            assertEquals(FailureReason.NOT_UP_TO_BOUND, bounded.getFailureReason());
            Position reached = Position.emptyPosition().withComponent(TOPIC, 0, 10L);
            assertTrue(outermost.query(query, PositionBound.at(reached), new QueryConfig(false)).isSuccess());
        }
    }

    @Test
    void anInt8StoreReRanksWithVectorsReadThroughTheSharedBlockCache() {
        AnnSettings int8 = new AnnSettings(AnnSettings.DEFAULTS.degree(), AnnSettings.DEFAULTS.beamWidth(),
                AnnSettings.DEFAULTS.overquery(), AnnSettings.DEFAULTS.searchBeam(), 1, AnnSettings.Compression.INT8,
                AnnSettings.DEFAULTS.exactFilterBelow());
        VectorStoreSupplier compressed = new VectorStoreSupplier(STORE, PlainAvroVectorSerde.decoder(),
                new VectorStoreSettings(DIMENSION, "test-model", int8));
        Properties cache = new Properties();
        cache.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, SharedBlockCacheConfigSetter.class.getName());
        cache.put(SharedBlockCacheConfigSetter.CACHE_BYTES_CONFIG, Long.toString(16L << 20));
        Random random = new Random(5);
        Map<String, Item> expected = new LinkedHashMap<>();
        try (TopologyTestDriver driver = driver(compressed.materialized(serde), cache)) {
            TestInputTopic<String, VectorRecord> input =
                    driver.createInputTopic(TOPIC, new StringSerializer(), serde.serializer());
            for (int i = 0; i < 300; i++) {
                pipe(input, expected, TestVectors.randomRecord(random, "item-" + i, DIMENSION));
            }
            VectorStore store = compressed.openStores().forPartition(0).orElseThrow();
            assertEquals(300, store.size());
            for (int q = 0; q < 5; q++) {
                KnnQuery query = KnnQuery.of(TestVectors.randomUnitVector(random, DIMENSION), 10);
                // Re-ranked with the float32 vectors from RocksDB, the hits and their scores are the exact ones.
                assertEquals(TestVectors.bruteForce(expected.values(), query.vector(), 10, FieldFilter.NONE,
                                Float.NEGATIVE_INFINITY),
                        store.search(query).hits().stream().map(hit -> new IndexHit(hit.id(), hit.score())).toList());
            }
        }
    }

    private static TopologyTestDriver driver(
            Materialized<String, VectorRecord, KeyValueStore<Bytes, byte[]>> materialized) {
        return driver(materialized, new Properties());
    }

    private static TopologyTestDriver driver(
            Materialized<String, VectorRecord, KeyValueStore<Bytes, byte[]>> materialized, Properties extra) {
        Properties props = new Properties();
        props.putAll(extra);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "vector-store-ttd");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG,
                Path.of("target", "vector-store-ttd", UUID.randomUUID().toString()).toString());
        props.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.REUSE_KTABLE_SOURCE_TOPICS);
        StreamsBuilder builder = new StreamsBuilder();
        builder.table(TOPIC, Consumed.with(Serdes.String(), new PlainAvroVectorSerde()), materialized);
        Topology topology = builder.build(props);
        return new TopologyTestDriver(topology, props);
    }

    private static void pipe(TestInputTopic<String, VectorRecord> input, Map<String, Item> expected,
                             VectorRecord record) {
        input.pipeInput(record.getId(), record);
        expected.put(record.getId(), Item.of(record));
    }

    private static void assertSearchMatchesBruteForce(VectorStore store, Map<String, Item> expected, KnnQuery query) {
        List<IndexHit> want = TestVectors.bruteForce(expected.values(), query.vector(), query.k(),
                FieldFilter.of(query.filters()), query.minScore().orElse(Float.NEGATIVE_INFINITY));
        KnnResult got = store.search(query);
        assertEquals(want, got.hits().stream().map(hit -> new IndexHit(hit.id(), hit.score())).toList(),
                query.toString());
        assertEquals(expected.size(), got.scanned());
        for (ScoredHit hit : got.hits()) {
            assertEquals(Map.of("source", "test-" + hit.id()), hit.metadata());
            assertNotNull(hit.modality());
        }
    }

    private static Set<String> keysOf(KeyValueStore<String, VectorRecord> table) {
        Set<String> keys = new HashSet<>();
        try (KeyValueIterator<String, VectorRecord> all = table.all()) {
            all.forEachRemaining((KeyValue<String, VectorRecord> entry) -> keys.add(entry.key));
        }
        return keys;
    }

    private static List<String> hitsOf(List<IndexHit> hits) {
        return hits.stream().map(IndexHit::id).toList();
    }

    private static List<String> hitIds(KnnResult result) {
        return result.hits().stream().map(ScoredHit::id).toList();
    }

    private static float[] scaled(float[] vector, float factor) {
        float[] out = vector.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] *= factor;
        }
        return out;
    }
}
