package io.clipstream.store;

import io.clipstream.testing.TestVectors;

import io.clipstream.schema.VectorRecord;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Item lookups ({@code KeyQuery} over IQv2, as {@code GET /v1/items/{id}} does) while the stream thread writes the
 * same partition. Kafka Streams' RocksDBStore answers a KeyQuery holding its position lock and then takes the store
 * lock, while put takes them the other way round (KAFKA-19629); if the VectorStore handed KeyQuery to it, the two
 * threads could block each other forever and the index would stop consuming.
 */
class VectorStoreConcurrencyTest {

    private static final String TOPIC = "vectors.image";
    private static final String STORE = "vectors-image-store";
    private static final int DIMENSION = 16;
    private static final int RECORDS = 10_000;

    @Test
    void itemLookupsDuringWritesNeverDeadlockTheStreamThread() throws Exception {
        VectorStoreSupplier supplier = new VectorStoreSupplier(STORE, PlainAvroVectorSerde.decoder(),
                new VectorStoreSettings(DIMENSION, "test-model"));
        TopologyTestDriver driver = driver(supplier);
        ExecutorService threads = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "vector-store-concurrency");
            thread.setDaemon(true); // a deadlocked pair must not keep the test JVM alive
            return thread;
        });
        AtomicBoolean writing = new AtomicBoolean(true);
        try {
            TestInputTopic<String, VectorRecord> input = driver.createInputTopic(TOPIC, new StringSerializer(),
                    new PlainAvroVectorSerde().serializer());
            input.pipeInput("item-0", TestVectors.randomRecord(new Random(1), "item-0", DIMENSION));
            StateStore outermost = driver.getAllStateStores().get(STORE);
            Future<Integer> lookups = threads.submit(() -> {
                int done = 0;
                while (writing.get()) {
                    QueryResult<VectorRecord> result = outermost.query(KeyQuery.<String, VectorRecord>withKey("item-0"),
                            PositionBound.unbounded(), new QueryConfig(false));
                    assertTrue(result.isSuccess(), () -> result.getFailureReason() + ": " + result.getFailureMessage());
                    done++;
                }
                return done;
            });
            Future<?> writes = threads.submit(() -> {
                Random random = new Random(2);
                for (int i = 0; i < RECORDS; i++) {
                    String id = "item-" + (i % 500);
                    input.pipeInput(id, TestVectors.randomRecord(random, id, DIMENSION));
                }
            });
            try {
                writes.get(1, TimeUnit.MINUTES);
            } catch (TimeoutException e) {
                fail("the stream thread's puts stopped while item lookups ran: a lock-order deadlock between "
                        + "RocksDBStore.put and RocksDBStore.query (KAFKA-19629)");
            }
            writing.set(false);
            assertTrue(lookups.get(1, TimeUnit.MINUTES) > 0, "lookups ran alongside the writes");
            driver.close();
        } finally {
            writing.set(false);
            threads.shutdownNow();
        }
    }

    private static TopologyTestDriver driver(VectorStoreSupplier supplier) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "vector-store-concurrency");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, Path.of("target", "vector-store-concurrency", UUID.randomUUID().toString()).toString());
        props.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.REUSE_KTABLE_SOURCE_TOPICS);
        StreamsBuilder builder = new StreamsBuilder();
        builder.table(TOPIC, Consumed.with(Serdes.String(), new PlainAvroVectorSerde()), supplier.materialized(new PlainAvroVectorSerde()));
        return new TopologyTestDriver(builder.build(props), props);
    }
}
