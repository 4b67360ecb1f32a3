package io.clipstream.topology;

import io.clipstream.serde.RegistryFailures;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * Sends a record that cannot be deserialised to the dead-letter topic, with its original bytes
 * and the reason, and lets the application go on. The dead-letter record is produced in the
 * task's own transaction under exactly-once.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {

    /** Streams config key naming the dead-letter topic. */
    public static final String TOPIC_CONFIG = "clipstream.dlq.topic";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);

    private HandlerSettings settings = HandlerSettings.DEFAULT;

    @Override
    public void configure(Map<String, ?> configs) {
        settings = HandlerSettings.from(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        if (RegistryFailures.isTransient(exception)) {
            LOG.warn("cannot read {}-{}@{} while the schema registry is unavailable ({}); failing the task so it is retried",
                    record.topic(), record.partition(), record.offset(), exception.getMessage());
            settings.failing(context, exception);
            return Response.fail();
        }
        String reason = exception.getMessage() == null ? exception.getClass().getSimpleName() : exception.getMessage();
        LOG.warn("dead-lettering {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), reason);
        DeadLetter letter = new DeadLetter(record.key(), record.value(), "UNREADABLE_RECORD", reason, record.topic(),
                record.partition(), record.offset());
        Long timestamp = record.timestamp() < 0 ? null : record.timestamp();
        return Response.resume(List.of(new ProducerRecord<>(settings.deadLetters(), null, timestamp, record.key(), record.value(),
                letter.headers(record.headers()))));
    }
}
