package io.clipstream.ingest;

import io.clipstream.common.ProgressBar;
import io.clipstream.common.ProgressBars;
import io.clipstream.topology.DeadLetter;
import io.clipstream.topology.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Matching records of the vector and dead-letter topics to the sent items, from the offsets marked before sending. */
class OutcomeWatcherTest {

    private static final Topics T = Topics.DEFAULT;

    @Test
    void settlesEachItemByItsVectorOrItsDeadLetterAndIgnoresWhatCameBefore() {
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
        consumer.updateEndOffsets(Map.of(tp(T.imageVectors()), 4L, tp(T.textVectors()), 0L, tp(T.deadLetters()), 7L));
        OutcomeWatcher watcher = new OutcomeWatcher(consumer, T);
        watcher.markEnd(Map.of(T.imageVectors(), 1, T.textVectors(), 1, T.deadLetters(), 1));
        for (ItemRef item : List.of(image("a"), image("b"), image("d"), caption("a#1"), caption("c#1"))) {
            watcher.expect(item);
        }
        consumer.addRecord(vector(T.imageVectors(), 3, "b"));                  // before the mark: an earlier run's
        consumer.addRecord(vector(T.imageVectors(), 4, "a"));
        consumer.addRecord(vector(T.imageVectors(), 5, "x"));                  // not ours
        consumer.addRecord(record(T.imageVectors(), 6, "d", null, new RecordHeaders())); // a tombstone is no vector
        consumer.addRecord(vector(T.textVectors(), 0, "a#1"));
        consumer.addRecord(letter(7, "b", T.images(), "IMAGE_UNDECODABLE", "truncated PNG"));
        consumer.addRecord(letter(8, "c#1", T.captions(), "EMPTY_TEXT", "the caption is empty"));
        consumer.addRecord(letter(9, "b", T.images(), "AGAIN", "a second outcome of a settled item is ignored"));

        AtomicLong clock = new AtomicLong();
        ProgressBar bar = ProgressBars.NONE.start("indexing", 5, "items");
        watcher.await(50, clock::incrementAndGet, bar);

        assertEquals(1, watcher.indexed(ItemKind.IMAGE));
        assertEquals(1, watcher.indexed(ItemKind.CAPTION));
        assertEquals(List.of(new Rejected(image("b"), "IMAGE_UNDECODABLE", "truncated PNG"),
                new Rejected(caption("c#1"), "EMPTY_TEXT", "the caption is empty")), watcher.deadLettered());
        assertEquals(List.of(image("d")), watcher.pending());
        assertEquals(4, bar.done());
    }

    @Test
    void anIndexRefusalOnTheVectorTopicCountsAsTheItemsDeadLetter() {
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
        consumer.updateEndOffsets(Map.of(tp(T.imageVectors()), 0L, tp(T.textVectors()), 0L, tp(T.deadLetters()), 0L));
        OutcomeWatcher watcher = new OutcomeWatcher(consumer, T);
        watcher.markEnd(Map.of(T.imageVectors(), 1, T.textVectors(), 1, T.deadLetters(), 1));
        watcher.expect(caption("k#1"));
        consumer.addRecord(letter(0, "k#1", T.textVectors(), "VECTOR_REJECTED", "wrong model"));
        watcher.await(Long.MAX_VALUE, System::nanoTime, ProgressBars.NONE.start("x", 1, "items"));
        assertEquals(List.of(new Rejected(caption("k#1"), "VECTOR_REJECTED", "wrong model")), watcher.deadLettered());
        assertEquals(List.of(), watcher.pending());
    }

    private static ItemRef image(String id) {
        return new ItemRef(ItemKind.IMAGE, id);
    }

    private static ItemRef caption(String id) {
        return new ItemRef(ItemKind.CAPTION, id);
    }

    private static TopicPartition tp(String topic) {
        return new TopicPartition(topic, 0);
    }

    private static ConsumerRecord<byte[], byte[]> vector(String topic, long offset, String key) {
        return record(topic, offset, key, new byte[]{0, 1}, new RecordHeaders());
    }

    private static ConsumerRecord<byte[], byte[]> letter(long offset, String key, String source, String code, String reason) {
        DeadLetter letter = new DeadLetter(utf8(key), new byte[]{1}, code, reason, source, 0, 42);
        return record(T.deadLetters(), offset, key, letter.value(), letter.headers(new RecordHeaders()));
    }

    private static ConsumerRecord<byte[], byte[]> record(String topic, long offset, String key, byte[] value,
                                                         org.apache.kafka.common.header.Headers headers) {
        return new ConsumerRecord<>(topic, 0, offset, 0L, TimestampType.CREATE_TIME, -1, -1, utf8(key), value, headers,
                Optional.empty());
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
