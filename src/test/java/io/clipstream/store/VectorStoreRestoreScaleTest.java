package io.clipstream.store;

import io.clipstream.index.AnnSettings;
import io.clipstream.index.ExactVectorIndex;
import io.clipstream.index.FieldFilter;
import io.clipstream.testing.TestVectors;

import io.clipstream.tools.bench.FloatRows;
import io.clipstream.embedded.EmbeddedKafkaBroker;
import io.clipstream.schema.VectorRecord;
import io.clipstream.testing.Await;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A restore of one large partition through the real broker: a new instance (empty state directory) takes over a
 * partition whose committed offset is at the end of the vector topic, so Kafka Streams replays the topic into RocksDB
 * and the store builds its graph from the replayed batches. Checks that the store times and logs the whole restore,
 * that the application is never RUNNING (so /health/ready is never UP, see {@code Readiness}) while a batch is being
 * restored, and recall after it.
 *
 * <p>CI runs 20,000 vectors of 512 dimensions (INT8). For the figure in docs/BENCHMARKS.md run it at a million:
 * {@code ./mvnw -o test -Dtest=VectorStoreRestoreScaleTest -Dclipstream.restore.vectors=1000000
 * -Dclipstream.restore.compression=int8 -Dtest.heap=12g}; the figures are printed and logged by the store
 * ("Restored N records ... in S s (RocksDB writes ..., index/graph build ...)").
 */
class VectorStoreRestoreScaleTest {

    private static final String STORE = "vectors-restore-store";
    private static final int DIMENSION = 512;
    private static final int K = 10;
    private static final int VECTORS = Integer.getInteger("clipstream.restore.vectors", 20_000);
    private static final AnnSettings.Compression COMPRESSION =
            AnnSettings.Compression.parse(System.getProperty("clipstream.restore.compression", "int8"));

    private static EmbeddedKafkaBroker cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = EmbeddedKafkaBroker.start(Path.of("target", "kraft", UUID.randomUUID().toString()));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aLargePartitionIsRestoredWithItsTimeLoggedAndTheAppNotReadyUntilDone() throws Exception {
        String topic = "vectors.restore." + UUID.randomUUID();
        String applicationId = "vector-restore-it-" + UUID.randomUUID();
        TopicPartition partition = new TopicPartition(topic, 0);
        Random random = new Random(5);
        float[][] vectors = FloatRows.clustered(5, random, VECTORS, DIMENSION, 1000, 1.0);
        float[][] queries = FloatRows.clustered(5, random, 50, DIMENSION, 1000, 1.0);

        long produceStart = System.nanoTime();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)))).all().get();
            produce(topic, vectors);
            long end = admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition).get().offset();
            assertEquals(VECTORS, end);
            // What an instance that ran before left behind: its group's position at the end of the topic. A new
            // instance with no local state must restore everything up to it before processing.
            admin.alterConsumerGroupOffsets(applicationId, Map.of(partition, new OffsetAndMetadata(end))).all().get();
        }
        System.out.printf("produced %d vectors of %d in %.1f s%n", VECTORS, DIMENSION, (System.nanoTime() - produceStart) / 1e9);

        AnnSettings d = AnnSettings.DEFAULTS;
        VectorStoreSettings settings = new VectorStoreSettings(DIMENSION, "test-model", new AnnSettings(d.degree(), d.beamWidth(), d.overquery(), d.searchBeam(), d.minSize(), COMPRESSION,
                        d.exactFilterBelow()));
        VectorStoreSupplier supplier = new VectorStoreSupplier(STORE, PlainAvroVectorSerde.decoder(), settings);
        VectorRestoreLogger restoreLogger = new VectorRestoreLogger(List.of(supplier.openStores()));
        List<KafkaStreams.State> statesDuringBatches = new CopyOnWriteArrayList<>();
        List<RestoreProgress.Summary> summaries = new CopyOnWriteArrayList<>();
        AtomicLong restored = new AtomicLong();
        KafkaStreams[] app = new KafkaStreams[1];

        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(StreamsConfig.STATE_DIR_CONFIG, Path.of("target", "vector-restore-it", applicationId).toAbsolutePath().toString());
        props.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.REUSE_KTABLE_SOURCE_TOPICS);
        StreamsBuilder builder = new StreamsBuilder();
        PlainAvroVectorSerde serde = new PlainAvroVectorSerde();
        builder.table(topic, Consumed.with(Serdes.String(), serde), supplier.materialized(serde));
        long start = System.nanoTime();
        try (KafkaStreams streams = new KafkaStreams(builder.build(props), props)) {
            app[0] = streams;
            streams.setGlobalStateRestoreListener(new StateRestoreListener() {
                @Override
                public void onRestoreStart(TopicPartition tp, String store, long startOffset, long endOffset) {
                }

                @Override
                public void onBatchRestored(TopicPartition tp, String store, long batchEnd, long count) {
                    restored.addAndGet(count);
                    statesDuringBatches.add(app[0].state());
                }

                @Override
                public void onRestoreEnd(TopicPartition tp, String store, long total) {
                    restoreLogger.onRestoreEnd(tp, store, total);
                    supplier.openStores().all().forEach(open -> summaries.add(open.lastRestore()));
                }
            });
            streams.start();
            Await.until(Duration.ofMinutes(60), VECTORS + " vectors restored and the app RUNNING",
                    () -> streams.state() == KafkaStreams.State.RUNNING && supplier.openStores().totalVectors() == VECTORS
                            ? Optional.of(true) : Optional.empty());
            double readySeconds = (System.nanoTime() - start) / 1e9;

            assertEquals(VECTORS, restored.get(), "every record came back through the restore, none through processing");
            assertEquals(1, summaries.size(), "one restore, logged once: " + summaries);
            RestoreProgress.Summary summary = summaries.get(0);
            assertEquals(VECTORS, summary.records());
            assertTrue(summary.indexSeconds() > 0 && summary.wallSeconds() >= summary.indexSeconds(), summary.toString());
            assertFalse(statesDuringBatches.isEmpty());
            assertFalse(statesDuringBatches.contains(KafkaStreams.State.RUNNING),
                    "RUNNING (ready) while restoring: " + Set.copyOf(statesDuringBatches));
            System.out.printf("restore of %d x %d (%s): %.1f s wall (RocksDB writes %.1f s, index/graph build %.1f s), "
                            + "RUNNING after %.1f s, %d B/vector in the index%n", VECTORS, DIMENSION, COMPRESSION,
                    summary.wallSeconds(), summary.rocksSeconds(), summary.indexSeconds(), readySeconds,
                    supplier.openStores().all().get(0).bytesPerVector());

            assertTrue(recall(streams, vectors, queries) >= 0.95, "recall@10 after the restore");
        } finally {
            if (app[0] != null) {
                app[0].close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                        .withTimeout(Duration.ofSeconds(60)));
            }
        }
    }

    private static void produce(String topic, float[][] vectors) throws Exception {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 1 << 20,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < vectors.length; i++) {
                VectorRecord record = TestVectors.record("v-" + i, vectors[i], "t", "c");
                sent.add(producer.send(new ProducerRecord<>(topic, record.getId(), PlainAvroVectorSerde.encode(record))));
                if (sent.size() == 10_000) {
                    for (Future<?> send : sent) {
                        send.get();
                    }
                    sent.clear();
                }
            }
            for (Future<?> send : sent) {
                send.get();
            }
        }
    }

    private static double recall(KafkaStreams streams, float[][] vectors, float[][] queries) {
        ExactVectorIndex exact = new ExactVectorIndex(DIMENSION, vectors.length);
        for (int i = 0; i < vectors.length; i++) {
            exact.upsert("v-" + i, vectors[i], Map.of());
        }
        double sum = 0;
        for (float[] query : queries) {
            StateQueryResult<KnnResult> result = streams.query(StateQueryRequest.inStore(STORE)
                    .withQuery(KnnQuery.of(query, K)).requireActive());
            KnnResult answer = result.getOnlyPartitionResult().getResult();
            Set<String> truth = new HashSet<>();
            exact.search(query, K, FieldFilter.NONE, Float.NEGATIVE_INFINITY).hits().forEach(hit -> truth.add(hit.id()));
            sum += answer.hits().stream().filter(hit -> truth.contains(hit.id())).count() / (double) K;
        }
        return sum / queries.length;
    }
}
