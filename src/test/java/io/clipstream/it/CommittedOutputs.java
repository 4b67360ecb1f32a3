package io.clipstream.it;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Follows output topics with a read_committed consumer, in the background, counting records per
 * key and topic: what a downstream reader sees, aborted transactions excluded.
 */
final class CommittedOutputs implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<TopicPartition> partitions = new ArrayList<>();
    private final Map<String, Map<String, AtomicInteger>> counts = new ConcurrentHashMap<>();
    private final AtomicInteger records = new AtomicInteger();
    private final Thread poller;
    private volatile boolean caughtUp;
    private volatile Map<TopicPartition, Long> target = Map.of();

    CommittedOutputs(String bootstrapServers, List<String> topics) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        for (String topic : topics) {
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            counts.put(topic, new ConcurrentHashMap<>());
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        poller = Thread.ofPlatform().name("committed-outputs").daemon().start(this::poll);
    }

    private void poll() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() != null) {
                        counts.get(record.topic()).computeIfAbsent(record.key(), k -> new AtomicInteger()).incrementAndGet();
                        records.incrementAndGet();
                    }
                }
                Map<TopicPartition, Long> want = target;
                if (!want.isEmpty() && want.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    caughtUp = true;
                }
            }
        } catch (WakeupException e) {
            // closing
        }
    }

    /** Distinct keys seen so far over all followed topics. */
    int distinctKeys() {
        return (int) counts.values().stream().flatMap(m -> m.keySet().stream()).distinct().count();
    }

    int records() {
        return records.get();
    }

    /** How many committed records with this key are on {@code topic}. */
    int count(String topic, String key) {
        AtomicInteger n = counts.get(topic).get(key);
        return n == null ? 0 : n.get();
    }

    /** Keys on {@code topic} with their counts, copied. */
    Map<String, Integer> counts(String topic) {
        Map<String, Integer> copy = new HashMap<>();
        counts.get(topic).forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    /**
     * Waits until this reader has consumed up to the end offsets the topics have now (read_committed:
     * the last stable offsets), so nothing committed before this call is still unseen.
     */
    void catchUp(Map<TopicPartition, Long> endOffsets) throws InterruptedException {
        caughtUp = false;
        target = Map.copyOf(endOffsets);
        io.clipstream.testing.Await.until(Duration.ofSeconds(60), "the reader to reach " + endOffsets, () -> caughtUp);
    }

    List<TopicPartition> partitions() {
        return partitions;
    }

    @Override
    public void close() throws InterruptedException {
        consumer.wakeup();
        poller.join(10_000);
        consumer.close();
    }
}
