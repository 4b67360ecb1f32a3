package io.clipstream.store;

import java.util.HashMap;
import org.apache.kafka.streams.processor.TaskId;
import io.clipstream.index.SegmentSettings;
import io.clipstream.index.AnnSettings;
import io.clipstream.index.FieldFilter;
import io.clipstream.index.IndexHit;
import io.clipstream.testing.TestVectors;

import io.clipstream.schema.VectorRecord;
import io.clipstream.testing.TestVectors.Item;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import io.clipstream.embedded.EmbeddedKafkaBroker;
import io.clipstream.testing.Await;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store in a real Kafka Streams application on an in-process KRaft broker: KNN answers over IQv2 across four
 * partitions match a brute force over what was produced, and stay the same after a restart from local state (index
 * rebuilt from RocksDB, nothing replayed) and after a restart with the local state deleted (everything restored from
 * the vector topic, which is the changelog: no {@code -changelog} topic exists).
 */
class VectorStoreIntegrationTest {

    private static final String TOPIC = "vectors.image";
    private static final String STORE = "vectors-image-store";
    private static final int PARTITIONS = 4;
    private static final int DIMENSION = 32;
    private static final int VECTORS = 2_000;
    private static final int K = 10;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private static EmbeddedKafkaBroker cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = EmbeddedKafkaBroker.start(java.nio.file.Path.of("target", "kraft", java.util.UUID.randomUUID().toString()));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void answersMatchBruteForceAcrossRestartsAndRestoresFromTheVectorTopic() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                    .all().get();
        }
        Random random = new Random(2024);
        Map<String, Item> produced = new LinkedHashMap<>();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (int i = 0; i < VECTORS; i++) {
                VectorRecord record = TestVectors.randomRecord(random, String.format("item-%04d", i), DIMENSION);
                producer.send(new ProducerRecord<>(TOPIC, record.getId(), PlainAvroVectorSerde.encode(record)));
                produced.put(record.getId(), Item.of(record));
            }
            // Bytes the app's deserializer skips while processing, but that a restore hands to the store raw.
            producer.send(new ProducerRecord<>(TOPIC, "garbage", new byte[] {(byte) 0xFF})).get();
        }
        List<KnnQuery> queries = new ArrayList<>();
        for (int q = 0; q < 5; q++) {
            queries.add(KnnQuery.of(TestVectors.randomUnitVector(random, DIMENSION), K));
        }
        queries.add(KnnQuery.of(TestVectors.randomUnitVector(random, DIMENSION), 25)
                .withFilters(Map.of("tenant", "acme", "category", "dogs")).withMinScore(0.1f));

        String applicationId = "vector-store-it-" + UUID.randomUUID();
        Path stateDir = Path.of("target", "vector-store-it", applicationId).toAbsolutePath();

        // 1. First start: every vector indexed through the KTable's puts.
        List<KnnResult> firstAnswers;
        try (RunningApp app = RunningApp.start(applicationId, stateDir)) {
            app.awaitIndexed(VECTORS);
            firstAnswers = app.answer(queries);
            assertMatchesBruteForce(produced, queries, firstAnswers);
            assertEquals(0, app.supplier.rejectedCount(), "the processing path skips undecodable records");
        }

        // 2. Restart on the same local state: the index loads its segments from disk; nothing is replayed.
        try (RunningApp app = RunningApp.start(applicationId, stateDir)) {
            app.awaitIndexed(VECTORS);
            assertEquals(0, app.restored.get(), "records restored from the topic with local state present");
            for (VectorStore store : app.supplier.openStores().all()) {
                assertTrue(store.loadedCoverage().isPresent(), store.taskId() + " loaded its segments, not rebuilt");
            }
            assertEquals(firstAnswers, app.answer(queries));
        }

        // 3. Restart without local state: everything is restored from the vector topic acting as changelog.
        deleteRecursively(stateDir);
        assertFalse(Files.exists(stateDir));
        try (RunningApp app = RunningApp.start(applicationId, stateDir)) {
            app.awaitIndexed(VECTORS);
            assertEquals(VECTORS + 1, app.restored.get(), "every record of the topic restored, garbage included");
            assertEquals(1, app.supplier.rejectedCount(), "the garbage record rejected on restore");
            assertEquals(firstAnswers, app.answer(queries));
            assertNoChangelogTopic();

            // 4. A tombstone takes an item out of the results, and out of key lookups.
            String best = firstAnswers.get(0).hits().get(0).id();
            assertNotNull(app.getItem(best), "item " + best + " before its tombstone");
            try (KafkaProducer<String, byte[]> producer = producer()) {
                producer.send(new ProducerRecord<>(TOPIC, best, null)).get();
            }
            KnnQuery first = queries.get(0);
            KnnResult afterDelete = Await.until(READY_TIMEOUT, best + " gone from the results",
                    () -> app.tryAnswer(first).filter(result -> result.hits().stream()
                            .noneMatch(hit -> hit.id().equals(best))));
            produced.remove(best);
            assertMatchesBruteForce(produced, List.of(first), List.of(afterDelete));
            assertEquals(VECTORS - 1, afterDelete.scanned());
            assertNull(app.getItem(best), "item " + best + " after its tombstone");
        }
    }

    /**
     * Stores whose partitions walk a JVector graph (min size 0): recall against the brute force after the first start
     * and again after a restore from the topic with the local state deleted (the graph rebuilt from the replayed
     * records, its time logged), and a tombstoned item never returned. With INT8 the graph holds codes only and
     * re-ranks from the store's RocksDB, so the exact scores checked by {@code recall} come from RocksDB reads.
     */
    @ParameterizedTest
    @EnumSource(value = AnnSettings.Compression.class, names = {"NONE", "INT8"})
    void aGraphIndexIsRebuiltOnRestoreFromTheVectorTopic(AnnSettings.Compression compression) throws Exception {
        Random random = new Random(99);
        Map<String, Item> produced = new LinkedHashMap<>();
        String applicationId = "vector-store-graph-it-" + UUID.randomUUID();
        // A topic of its own, so the exact-scan test's records stay out.
        String graphTopic = "vectors.image.graph." + compression.name().toLowerCase(java.util.Locale.ROOT);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(graphTopic, PARTITIONS, (short) 1)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                    .all().get();
        }
        int vectors = 4_000;
        try (KafkaProducer<String, byte[]> producer = producer()) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < vectors; i++) {
                VectorRecord record = TestVectors.randomRecord(random, String.format("g-%05d", i), DIMENSION);
                sent.add(producer.send(new ProducerRecord<>(graphTopic, record.getId(), PlainAvroVectorSerde.encode(record))));
                produced.put(record.getId(), Item.of(record));
            }
            for (java.util.concurrent.Future<?> send : sent) {
                send.get(); // a lost record would otherwise show up only as a timeout below
            }
        }
        List<KnnQuery> queries = new ArrayList<>();
        for (int q = 0; q < 30; q++) {
            queries.add(KnnQuery.of(TestVectors.randomUnitVector(random, DIMENSION), K));
        }
        AnnSettings d = AnnSettings.DEFAULTS;
        VectorStoreSettings graphSettings = new VectorStoreSettings(DIMENSION, "test-model", new AnnSettings(d.degree(), d.beamWidth(), d.overquery(), d.searchBeam(), 0, compression, 0.0));
        Path stateDir = Path.of("target", "vector-store-it", applicationId).toAbsolutePath();
        try (RunningApp app = RunningApp.start(applicationId, stateDir, graphSettings, graphTopic)) {
            app.awaitStoresHold(vectors);
            assertTrue(recall(produced, queries, app.answer(queries)) >= 0.9, "recall@10 after the first start");
        }
        deleteRecursively(stateDir);
        try (RunningApp app = RunningApp.start(applicationId, stateDir, graphSettings, graphTopic)) {
            app.awaitStoresHold(vectors);
            assertEquals(vectors, app.restored.get(), "every record restored from the topic");
            assertEquals(vectors, app.restoreSummaries.stream().mapToLong(RestoreProgress.Summary::records).sum(),
                    "the stores timed the restore of every record: " + app.restoreSummaries);
            List<KnnResult> answers = app.answer(queries);
            assertTrue(recall(produced, queries, answers) >= 0.9, "recall@10 after the restore");

            String best = answers.get(0).hits().get(0).id();
            try (KafkaProducer<String, byte[]> producer = producer()) {
                producer.send(new ProducerRecord<>(graphTopic, best, null)).get();
            }
            app.awaitStoresHold(vectors - 1);
            for (KnnResult answer : app.answer(queries)) {
                assertTrue(answer.hits().stream().noneMatch(hit -> hit.id().equals(best)), best + " after its tombstone");
            }
        }
    }

    /**
     * A graph index reopened on its state directory: the stores load their sealed, merged segments and graphs from
     * disk instead of rebuilding them, Kafka Streams replays nothing, and every answer (hits, scores, scan counts) is
     * the one given before the restart.
     */
    @Test
    void graphSegmentsAreLoadedFromDiskOnRestartAndAnswerAsBefore() throws Exception {
        String topic = "vectors.reopen." + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)))).all().get();
        }
        Random random = new Random(77);
        int vectors = 12_000;
        try (KafkaProducer<String, byte[]> producer = producer()) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < vectors; i++) {
                VectorRecord record = TestVectors.randomRecord(random, String.format("r-%05d", i), DIMENSION);
                sent.add(producer.send(new ProducerRecord<>(topic, record.getId(), PlainAvroVectorSerde.encode(record))));
            }
            for (java.util.concurrent.Future<?> send : sent) {
                send.get();
            }
        }
        List<KnnQuery> queries = new ArrayList<>();
        for (int q = 0; q < 20; q++) {
            queries.add(KnnQuery.of(TestVectors.randomUnitVector(random, DIMENSION), K));
        }
        AnnSettings d = AnnSettings.DEFAULTS;
        VectorStoreSettings graphs = new VectorStoreSettings(DIMENSION, "test-model",
                new AnnSettings(d.degree(), d.beamWidth(), d.overquery(), d.searchBeam(), 0, d.compression(), 0.0),
                new SegmentSettings(512, 3, Duration.ofMillis(200), 2, Duration.ZERO, SegmentSettings.DEFAULT_MAX_STATE_AGE));
        String applicationId = "vector-store-reopen-" + UUID.randomUUID();
        Path stateDir = Path.of("target", "vector-store-it", applicationId).toAbsolutePath();
        List<KnnResult> before;
        Map<TaskId, Integer> segmentsBefore = new HashMap<>();
        try (RunningApp app = RunningApp.start(applicationId, stateDir, graphs, topic)) {
            app.awaitStoresHold(vectors);
            for (VectorStore store : app.supplier.openStores().all()) {
                assertTrue(store.index().awaitQuiet(Duration.ofMinutes(2)), store.indexStats().toString());
                segmentsBefore.put(store.taskId(), store.indexStats().segments());
                assertEquals(0, store.indexStats().withoutGraph(), store.indexStats().toString());
            }
            before = app.answer(queries);
        }
        try (RunningApp app = RunningApp.start(applicationId, stateDir, graphs, topic)) {
            app.awaitStoresHold(vectors);
            assertEquals(0, app.restored.get(), "nothing replayed: the segments cover the whole topic");
            for (VectorStore store : app.supplier.openStores().all()) {
                assertTrue(store.loadedCoverage().isPresent(), store.taskId() + " loaded its segments");
                assertEquals(segmentsBefore.get(store.taskId()), store.indexStats().segments());
                assertEquals(0, store.indexStats().withoutGraph(), "graphs loaded, not rebuilt: " + store.indexStats());
            }
            assertEquals(before, app.answer(queries));
        }
    }

    private static double recall(Map<String, Item> produced, List<KnnQuery> queries, List<KnnResult> answers) {
        double sum = 0;
        for (int q = 0; q < queries.size(); q++) {
            KnnQuery query = queries.get(q);
            Set<String> truth = new java.util.HashSet<>();
            TestVectors.bruteForce(produced.values(), query.vector(), query.k(), FieldFilter.NONE,
                    Float.NEGATIVE_INFINITY).forEach(hit -> truth.add(hit.id()));
            long found = answers.get(q).hits().stream().filter(hit -> truth.contains(hit.id())).count();
            for (ScoredHit hit : answers.get(q).hits()) {
                assertEquals(TestVectors.exactDot(query.vector(), produced.get(hit.id()).vector()), hit.score(), 1e-5);
            }
            sum += (double) found / truth.size();
        }
        return sum / queries.size();
    }

    private static void assertMatchesBruteForce(Map<String, Item> produced, List<KnnQuery> queries,
                                                List<KnnResult> answers) {
        for (int q = 0; q < queries.size(); q++) {
            KnnQuery query = queries.get(q);
            float[] vector = query.vector();
            List<IndexHit> expected = TestVectors.bruteForce(produced.values(), vector, query.k(),
                    FieldFilter.of(query.filters()), query.minScore().orElse(Float.NEGATIVE_INFINITY));
            List<ScoredHit> actual = answers.get(q).hits();
            assertFalse(expected.isEmpty(), "query " + q + " has an answer to compare");
            assertEquals(expected.stream().map(IndexHit::id).toList(), actual.stream().map(ScoredHit::id).toList(),
                    "ids and order of query " + q);
            for (ScoredHit hit : actual) {
                assertEquals(TestVectors.exactDot(vector, produced.get(hit.id()).vector()), hit.score(), 1e-5,
                        "score of " + hit.id());
            }
        }
    }

    private static void assertNoChangelogTopic() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
            Set<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get();
            assertTrue(topics.contains(TOPIC), topics::toString);
            assertTrue(topics.stream().noneMatch(topic -> topic.endsWith("-changelog") || topic.contains(STORE)),
                    "no changelog topic besides the vector topic: " + topics);
        }
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5,
                // One batch in flight per partition: a retried batch cannot overtake the next one. Under load the
                // embedded broker answered a fresh topic's retried batches with OUT_OF_ORDER_SEQUENCE_NUMBER forever.
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1),
                new StringSerializer(), new ByteArraySerializer());
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** One run of the index application: a KTable over the vector topic, materialised in a {@link VectorStore}. */
    private static final class RunningApp implements AutoCloseable {

        final VectorStoreSupplier supplier;
        final AtomicLong restored = new AtomicLong();
        final List<RestoreProgress.Summary> restoreSummaries = new java.util.concurrent.CopyOnWriteArrayList<>();
        final KafkaStreams streams;

        private RunningApp(String applicationId, Path stateDir, VectorStoreSettings settings, String topic) {
            supplier = new VectorStoreSupplier(STORE, PlainAvroVectorSerde.decoder(), settings);
            VectorRestoreLogger restoreLogger = new VectorRestoreLogger(List.of(supplier.openStores()));
            Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
            props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
            props.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.REUSE_KTABLE_SOURCE_TOPICS);
            props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
            // Key-to-partition metadata (queryMetadataForKey) is only kept when instances advertise an endpoint;
            // nothing connects to it in this single-instance test.
            props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, "localhost:7070");
            props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                    LogAndContinueExceptionHandler.class);
            StreamsBuilder builder = new StreamsBuilder();
            PlainAvroVectorSerde serde = new PlainAvroVectorSerde();
            builder.table(topic, Consumed.with(Serdes.String(), serde), supplier.materialized(serde));
            streams = new KafkaStreams(builder.build(props), props);
            streams.setGlobalStateRestoreListener(new StateRestoreListener() {
                @Override
                public void onRestoreStart(TopicPartition partition, String store, long start, long end) {
                }

                @Override
                public void onBatchRestored(TopicPartition partition, String store, long batchEnd, long count) {
                    restored.addAndGet(count);
                }

                @Override
                public void onRestoreEnd(TopicPartition partition, String store, long total) {
                    restoreLogger.onRestoreEnd(partition, store, total);
                    supplier.openStores().all().stream()
                            .filter(open -> open.taskId().partition() == partition.partition())
                            .forEach(open -> restoreSummaries.add(open.lastRestore()));
                }
            });
        }

        static RunningApp start(String applicationId, Path stateDir) {
            // 500 vectors per partition: below the graph's min size, so these answers come from exact scans.
            return start(applicationId, stateDir, new VectorStoreSettings(DIMENSION, "test-model"), TOPIC);
        }

        static RunningApp start(String applicationId, Path stateDir, VectorStoreSettings settings, String topic) {
            RunningApp app = new RunningApp(applicationId, stateDir, settings, topic);
            app.streams.start();
            return app;
        }

        /** Waits until the app runs and its four partitions together index {@code count} vectors. */
        void awaitIndexed(int count) throws InterruptedException {
            KnnQuery probe = KnnQuery.of(TestVectors.randomUnitVector(new Random(0), DIMENSION), 1);
            Await.until(READY_TIMEOUT, count + " vectors indexed across " + PARTITIONS + " partitions",
                    () -> tryAnswer(probe).filter(result -> result.scanned() == count));
        }

        List<KnnResult> answer(List<KnnQuery> queries) {
            return queries.stream().map(query -> tryAnswer(query).orElseThrow(
                    () -> new AssertionError("not every partition answered " + query))).toList();
        }

        /** Waits until the app runs and its open stores together hold {@code count} vectors. */
        void awaitStoresHold(int count) throws InterruptedException {
            Await.until(READY_TIMEOUT, count + " vectors in the open stores",
                    () -> streams.state() == KafkaStreams.State.RUNNING && supplier.openStores().totalVectors() == count
                            ? Optional.of(true) : Optional.empty());
        }

        /** The merged answer of all partitions, or empty while any partition cannot answer. */
        Optional<KnnResult> tryAnswer(KnnQuery query) {
            if (streams.state() != KafkaStreams.State.RUNNING) {
                return Optional.empty();
            }
            StateQueryResult<KnnResult> result;
            try {
                result = streams.query(StateQueryRequest.inStore(STORE).withQuery(query).requireActive());
            } catch (StreamsException e) { // includes InvalidStateStoreException while tasks move
                return Optional.empty();
            }
            Map<Integer, QueryResult<KnnResult>> partitions = result.getPartitionResults();
            if (partitions.size() != PARTITIONS || partitions.values().stream().anyMatch(QueryResult::isFailure)) {
                return Optional.empty();
            }
            return Optional.of(KnnResult.merge(
                    partitions.values().stream().map(QueryResult::getResult).toList(), query.k()));
        }

        /** The getItem path: an IQv2 key lookup on the partition that owns the id. */
        VectorRecord getItem(String id) {
            KeyQueryMetadata owner = streams.queryMetadataForKey(STORE, id, Serdes.String().serializer());
            assertTrue(owner.partition() >= 0, () -> "no partition metadata for " + id + ": " + owner);
            StateQueryResult<VectorRecord> result = streams.query(StateQueryRequest.inStore(STORE)
                    .withQuery(KeyQuery.<String, VectorRecord>withKey(id))
                    .withPartitions(Set.of(owner.partition())));
            QueryResult<VectorRecord> partition = result.getPartitionResults().get(owner.partition());
            assertNotNull(partition, () -> "no answer from partition " + owner.partition() + ": "
                    + result.getPartitionResults());
            assertTrue(partition.isSuccess(), () -> partition.getFailureReason() + ": " + partition.getFailureMessage());
            return partition.getResult();
        }

        @Override
        public void close() {
            // Leave the group, so that the next run's member gets the partitions at once instead of after the
            // session timeout (Kafka Streams stays in the group on close by default, to ride out a quick bounce).
            streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(60)));
        }
    }
}
