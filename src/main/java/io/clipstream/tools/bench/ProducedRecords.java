package io.clipstream.tools.bench;

import org.apache.kafka.clients.producer.RecordMetadata;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one produce run put on a topic, learnt from the broker's acknowledgements: each
 * partition's ids in offset order (Kafka runs the callbacks of one partition in send order), the
 * first send and the last acknowledgement. Callbacks arrive on the producer's I/O thread, hence
 * the synchronisation.
 */
final class ProducedRecords {

    private final Map<Integer, List<String>> idsByPartition = new TreeMap<>();
    private long firstSendNanos;
    private long lastAckNanos;
    private int acked;
    private Exception failure;

    synchronized void sending(long nanos) {
        if (firstSendNanos == 0) {
            firstSendNanos = nanos;
        }
    }

    synchronized void acknowledged(String id, RecordMetadata metadata, Exception exception, long nanos) {
        if (exception != null) {
            if (failure == null) {
                failure = exception;
            }
            return;
        }
        idsByPartition.computeIfAbsent(metadata.partition(), p -> new ArrayList<>()).add(id);
        acked++;
        lastAckNanos = Math.max(lastAckNanos, nanos);
    }

    /** Throws unless every one of {@code expected} records was acknowledged. */
    synchronized void requireAllAcknowledged(int expected, String topic) {
        if (failure != null) {
            throw new IllegalStateException("producing to " + topic + " failed: " + failure.getMessage(), failure);
        }
        if (acked != expected) {
            throw new IllegalStateException(acked + " of " + expected + " records to " + topic + " were acknowledged after flush");
        }
    }

    /** The last id of each partition written to: once these are indexed, everything before them is. */
    synchronized List<String> lastIdOfEachPartition() {
        return idsByPartition.values().stream().map(ids -> ids.get(ids.size() - 1)).toList();
    }

    synchronized Collection<List<String>> idsByPartition() {
        return idsByPartition.values().stream().map(List::copyOf).toList();
    }

    synchronized List<String> allIds() {
        return idsByPartition.values().stream().flatMap(List::stream).toList();
    }

    synchronized int count() {
        return acked;
    }

    synchronized long firstSendNanos() {
        return firstSendNanos;
    }

    synchronized long lastAckNanos() {
        return lastAckNanos;
    }
}
