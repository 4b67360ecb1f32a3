package io.clipstream.topology;

import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

import java.util.Map;

/**
 * What clipstream's exception handlers read from their application's configuration: where dead
 * letters go, and where to note a record the task fails on (for readiness).
 */
record HandlerSettings(String deadLetters, String applicationId, FailedRecords failed) {

    static final HandlerSettings DEFAULT = new HandlerSettings(Topics.DEFAULT.deadLetters(), null, null);

    static HandlerSettings from(Map<String, ?> configs) {
        Object topic = configs.get(DeadLetterDeserializationHandler.TOPIC_CONFIG);
        Object id = configs.get(StreamsConfig.APPLICATION_ID_CONFIG);
        return new HandlerSettings(topic == null ? Topics.DEFAULT.deadLetters() : topic.toString(), id == null ? null : id.toString(),
                FailedRecords.from(configs).orElse(null));
    }

    /** Notes the record in {@code context} as the one this application's task is failing on. */
    void failing(ErrorHandlerContext context, Throwable reason) {
        if (failed != null) {
            failed.failing(applicationId, context, reason);
        }
    }
}
