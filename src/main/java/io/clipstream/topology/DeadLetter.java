package io.clipstream.topology;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;

/**
 * A record that could not be processed, as it goes to the dead-letter topic: the original key and
 * value bytes untouched, and why, from where, in headers. Anyone can replay it after a fix.
 */
public record DeadLetter(byte[] key, byte[] value, String reasonCode, String reason, String sourceTopic,
                         int sourcePartition, long sourceOffset) {

    public static final String REASON = "clipstream.dlq.reason";
    public static final String REASON_CODE = "clipstream.dlq.reason.code";
    public static final String SOURCE_TOPIC = "clipstream.dlq.source.topic";
    public static final String SOURCE_PARTITION = "clipstream.dlq.source.partition";
    public static final String SOURCE_OFFSET = "clipstream.dlq.source.offset";

    /** Headers of the dead-letter record; the original record's headers are kept beneath them. */
    public Headers headers(Headers original) {
        RecordHeaders headers = new RecordHeaders(original == null ? new RecordHeaders().toArray() : original.toArray());
        headers.remove(REASON);
        headers.add(REASON, utf8(reason));
        headers.add(REASON_CODE, utf8(reasonCode));
        headers.add(SOURCE_TOPIC, utf8(sourceTopic));
        headers.add(SOURCE_PARTITION, utf8(Integer.toString(sourcePartition)));
        headers.add(SOURCE_OFFSET, utf8(Long.toString(sourceOffset)));
        return headers;
    }

    private static byte[] utf8(String text) {
        return (text == null ? "" : text).getBytes(StandardCharsets.UTF_8);
    }
}
