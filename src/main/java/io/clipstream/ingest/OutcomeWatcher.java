package io.clipstream.ingest;

import io.clipstream.common.ProgressBar;
import io.clipstream.topology.DeadLetter;
import io.clipstream.topology.Topics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Watches the vector topics and the dead-letter topic for the outcome of each sent item. It starts
 * from the end offsets taken before anything was sent ({@link #markEnd}), so an earlier run's
 * vectors for the same ids do not count. A vector is matched by its key (the item id) on the
 * modality's vector topic; a dead letter by its key and the topic it came from
 * ({@link DeadLetter#SOURCE_TOPIC}: the event topic, or the vector topic when the index refused it).
 */
final class OutcomeWatcher {

    private static final Duration POLL = Duration.ofMillis(250);

    private final Consumer<byte[], byte[]> consumer;
    private final Topics topics;
    private final Set<ItemRef> pending = new LinkedHashSet<>();
    private final List<Rejected> deadLettered = new ArrayList<>();
    private final Map<ItemKind, Integer> indexed = new HashMap<>();

    OutcomeWatcher(Consumer<byte[], byte[]> consumer, Topics topics) {
        this.consumer = consumer;
        this.topics = topics;
    }

    /** Assigns every partition of the watched topics at its current end; call before sending. */
    void markEnd(Map<String, Integer> partitionsByTopic) {
        List<TopicPartition> partitions = new ArrayList<>();
        partitionsByTopic.forEach((topic, count) -> {
            for (int p = 0; p < count; p++) {
                partitions.add(new TopicPartition(topic, p));
            }
        });
        consumer.assign(partitions);
        consumer.endOffsets(partitions).forEach(consumer::seek);
    }

    static List<String> watchedTopics(Topics topics) {
        return List.of(topics.imageVectors(), topics.textVectors(), topics.deadLetters());
    }

    void expect(ItemRef item) {
        pending.add(item);
    }

    /** Reads outcomes until none is pending or the clock passes {@code deadlineNanos}. */
    void await(long deadlineNanos, LongSupplier nanoClock, ProgressBar bar) {
        while (!pending.isEmpty() && nanoClock.getAsLong() < deadlineNanos) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                if (accept(record)) {
                    bar.advance(1);
                }
            }
        }
    }

    /** Whether the record settles a pending item. */
    boolean accept(ConsumerRecord<byte[], byte[]> record) {
        if (record.key() == null) {
            return false;
        }
        String id = new String(record.key(), StandardCharsets.UTF_8);
        String topic = record.topic();
        if (topic.equals(topics.imageVectors()) || topic.equals(topics.textVectors())) {
            ItemRef item = new ItemRef(topic.equals(topics.imageVectors()) ? ItemKind.IMAGE : ItemKind.CAPTION, id);
            if (record.value() != null && pending.remove(item)) {
                indexed.merge(item.kind(), 1, Integer::sum);
                return true;
            }
            return false;
        }
        ItemKind kind = kindOfSource(header(record.headers(), DeadLetter.SOURCE_TOPIC));
        if (kind == null) {
            return false;
        }
        ItemRef item = new ItemRef(kind, id);
        if (pending.remove(item)) {
            deadLettered.add(new Rejected(item, header(record.headers(), DeadLetter.REASON_CODE),
                    header(record.headers(), DeadLetter.REASON)));
            return true;
        }
        return false;
    }

    private ItemKind kindOfSource(String sourceTopic) {
        if (sourceTopic.equals(topics.images()) || sourceTopic.equals(topics.imageVectors())) {
            return ItemKind.IMAGE;
        }
        if (sourceTopic.equals(topics.captions()) || sourceTopic.equals(topics.textVectors())) {
            return ItemKind.CAPTION;
        }
        return null;
    }

    private static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }

    List<ItemRef> pending() {
        return List.copyOf(pending);
    }

    List<Rejected> deadLettered() {
        return List.copyOf(deadLettered);
    }

    int indexed(ItemKind kind) {
        return indexed.getOrDefault(kind, 0);
    }
}
