package io.clipstream.store;

import io.clipstream.embedded.EmbeddedKafkaBroker;
import io.clipstream.schema.VectorRecord;
import io.clipstream.testing.Await;
import io.clipstream.testing.TestVectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Item lookups ({@code KeyQuery} over IQv2, as {@code GET /v1/items/{id}} does) from another thread while the stream
 * thread writes the same partition, on a real Kafka Streams instance and broker: the two threads meet in the store as
 * they do in production. Kafka Streams' RocksDBStore answers a KeyQuery holding its position lock and then takes the
 * store lock, while put takes them the other way round (KAFKA-19629); if the VectorStore handed KeyQuery to it, the
 * two threads could block each other forever and the index would stop consuming, so the last record would never be
 * seen.
 */
class VectorStoreConcurrencyTest {

    private static final String TOPIC = "vectors.image";
    private static final String STORE = "vectors-image-store";
    private static final int DIMENSION = 16;
    private static final int RECORDS = 10_000;
    private static final String LAST = "last";
    private static final Duration WAIT = Duration.ofSeconds(120);

    @Test
    void itemLookupsDuringWritesNeverStopTheStreamThread() throws Exception {
        Path base = Path.of("target", "vector-store-concurrency", UUID.randomUUID().toString());
        ExecutorService lookupThread = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "item-lookups");
            thread.setDaemon(true); // a deadlocked lookup must not keep the test JVM alive
            return thread;
        });
        AtomicBoolean looking = new AtomicBoolean(true);
        AtomicReference<String> failedLookup = new AtomicReference<>();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(base.resolve("kafka"))) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            try (KafkaProducer<String, VectorRecord> producer = producer(broker);
                 KafkaStreams streams = streams(broker, base.resolve("state"))) {
                Random random = new Random(2);
                producer.send(new ProducerRecord<>(TOPIC, "item-0", TestVectors.randomRecord(random, "item-0", DIMENSION)));
                producer.flush();
                streams.start();
                Await.until(WAIT, "item-0 to be queryable", () -> lookup(streams, "item-0"));

                Future<Integer> lookups = lookupThread.submit(() -> {
                    int done = 0;
                    while (looking.get()) {
                        QueryResult<?> result = streams.query(StateQueryRequest.inStore(STORE)
                                .withQuery(KeyQuery.withKey("item-0")).withPartitions(Set.of(0))).getOnlyPartitionResult();
                        if (!result.isSuccess() || result.getResult() == null) {
                            failedLookup.compareAndSet(null, result.isSuccess() ? "item-0 not found"
                                    : result.getFailureReason() + ": " + result.getFailureMessage());
                        }
                        done++;
                    }
                    return done;
                });
                for (int i = 0; i < RECORDS; i++) {
                    String id = "item-" + (i % 500);
                    producer.send(new ProducerRecord<>(TOPIC, id, TestVectors.randomRecord(random, id, DIMENSION)));
                }
                producer.send(new ProducerRecord<>(TOPIC, LAST, TestVectors.randomRecord(random, LAST, DIMENSION)));
                producer.flush();

                Await.until(WAIT, "the stream thread to write every record while item lookups ran (a stop here is the "
                        + "lock-order deadlock between RocksDBStore.put and RocksDBStore.query, KAFKA-19629)",
                        () -> lookup(streams, LAST));
                looking.set(false);
                assertTrue(lookups.get(1, TimeUnit.MINUTES) > 0, "lookups ran alongside the writes");
                assertNull(failedLookup.get(), "an item lookup failed while the stream thread wrote");
            }
        } finally {
            looking.set(false);
            lookupThread.shutdownNow();
        }
    }

    private static Optional<Object> lookup(KafkaStreams streams, String id) {
        QueryResult<Object> result = streams.query(StateQueryRequest.inStore(STORE)
                .withQuery(KeyQuery.<String, Object>withKey(id)).withPartitions(Set.of(0))).getOnlyPartitionResult();
        if (result == null || !result.isSuccess() || result.getResult() == null) {
            return Optional.empty();
        }
        Object value = result.getResult();
        return Optional.of(value instanceof ValueAndTimestamp<?> timestamped ? timestamped.value() : value);
    }

    private static KafkaProducer<String, VectorRecord> producer(EmbeddedKafkaBroker broker) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new PlainAvroVectorSerde().serializer());
    }

    private static KafkaStreams streams(EmbeddedKafkaBroker broker, Path stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "vector-store-concurrency");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.REUSE_KTABLE_SOURCE_TOPICS);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        VectorStoreSupplier supplier = new VectorStoreSupplier(STORE, PlainAvroVectorSerde.decoder(),
                new VectorStoreSettings(DIMENSION, "test-model"));
        StreamsBuilder builder = new StreamsBuilder();
        builder.table(TOPIC, Consumed.with(Serdes.String(), new PlainAvroVectorSerde()),
                supplier.materialized(new PlainAvroVectorSerde()));
        return new KafkaStreams(builder.build(props), props);
    }
}
