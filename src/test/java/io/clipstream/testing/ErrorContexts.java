package io.clipstream.testing;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.processor.TaskId;

/** The context Kafka Streams hands its exception handlers, built by hand for handler tests. */
public record ErrorContexts(String topic, int partition, long offset, Headers headers, String processorNodeId, TaskId taskId,
                            long timestamp, byte[] sourceRawKey, byte[] sourceRawValue) implements ErrorHandlerContext {

    public static ErrorContexts of(String topic, int partition, long offset, TaskId task, byte[] key, byte[] value) {
        return new ErrorContexts(topic, partition, offset, new RecordHeaders(), "node", task, 1_000L, key, value);
    }
}
