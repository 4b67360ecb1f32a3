package io.clipstream.topology;

import io.clipstream.serde.RegistryFailures;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What every clipstream application does with an output record that cannot be written.
 *
 * <ul>
 *   <li>It cannot be serialised because the registry is unreachable, slow or refusing our
 *   credentials: the task fails and is retried from its last commit (under exactly-once nothing
 *   was written), so a registry outage neither skips nor loses records.</li>
 *   <li>It cannot be serialised for a reason retrying will not change (the subject holds an
 *   incompatible schema, a required field is null): the input record goes to the dead-letter
 *   topic with the reason (code {@code UNWRITABLE_OUTPUT}) and processing goes on. Nothing was
 *   handed to the producer, so the transaction is intact.</li>
 *   <li>The broker refused it with a retriable error (timeouts, leader changes, not enough
 *   replicas): the task is retried, nothing skipped.</li>
 *   <li>The broker refused it for good (record too large, topic missing or not writable): the task
 *   fails. A transactional producer aborts the whole transaction on any send error, so a dead
 *   letter sent now would be aborted with it (and Kafka Streams would send it from the producer's
 *   I/O thread); the failure is reported instead, with the record's coordinates, by readiness
 *   ({@link FailedRecords}). The responder, where a client chooses the destination, checks reply
 *   topics before writing so that this cannot happen there.</li>
 * </ul>
 */
public final class DeadLetterProductionHandler implements ProductionExceptionHandler {

    public static final String UNWRITABLE_OUTPUT = "UNWRITABLE_OUTPUT";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProductionHandler.class);

    private HandlerSettings settings = HandlerSettings.DEFAULT;

    @Override
    public void configure(Map<String, ?> configs) {
        settings = HandlerSettings.from(configs);
    }

    @Override
    public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception exception,
                                             SerializationExceptionOrigin origin) {
        if (RegistryFailures.isTransient(exception)) {
            LOG.warn("cannot serialise a record for {} while the schema registry is unavailable ({}); failing the task so it is "
                    + "retried", record.topic(), exception.getMessage());
            settings.failing(context, exception);
            return Response.fail();
        }
        String reason = "the " + origin.name().toLowerCase(java.util.Locale.ROOT) + " of a record for topic " + record.topic()
                + " cannot be serialised: " + FailedRecords.describe(exception);
        if (context == null || context.topic() == null) {
            // Written outside the processing of an input record (a punctuation): nothing to dead-letter in its place.
            LOG.error("{}; not from an input record, so the task fails", reason);
            settings.failing(context, exception);
            return Response.fail();
        }
        LOG.warn("dead-lettering {}-{}@{}: {}", context.topic(), context.partition(), context.offset(), reason);
        return Response.resume(List.of(deadLetter(context, record, reason)));
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (exception instanceof RetriableException) {
            LOG.warn("could not write to {} ({}); retrying the task", record.topic(), exception.toString());
            return Response.retry();
        }
        LOG.error("the broker refused a record for {} for good ({}); failing the task: fix the topic or its limits, readiness "
                + "names the input record", record.topic(), exception.toString());
        settings.failing(context, exception);
        return Response.fail();
    }

    /**
     * The dead letter for an output that cannot be serialised: the input record's key and value as
     * Kafka Streams still holds them. An output written while another input was being processed (a
     * batch flushed by a later record) carries only the output's key and the coordinates, since
     * the bytes at hand belong to that other record.
     */
    private ProducerRecord<byte[], byte[]> deadLetter(ErrorHandlerContext context, ProducerRecord<?, ?> record, String reason) {
        byte[] outputKey = record.key() == null ? null : record.key().toString().getBytes(StandardCharsets.UTF_8);
        boolean sameRecord = context.sourceRawValue() != null
                && (outputKey == null || Arrays.equals(outputKey, context.sourceRawKey()));
        byte[] key = sameRecord ? context.sourceRawKey() : outputKey;
        byte[] value = sameRecord ? context.sourceRawValue() : null;
        String why = sameRecord ? reason : reason + "; written while processing " + context.topic() + "-" + context.partition()
                + "@" + context.offset() + ", so the input bytes are not attached: replay key '"
                + (outputKey == null ? "" : new String(outputKey, StandardCharsets.UTF_8)) + "' from its input topic";
        DeadLetter letter = new DeadLetter(key, value, UNWRITABLE_OUTPUT, why, context.topic(), context.partition(),
                context.offset());
        Long timestamp = context.timestamp() < 0 ? null : context.timestamp();
        return new ProducerRecord<>(settings.deadLetters(), null, timestamp, key, value,
                letter.headers(context.headers() == null ? new RecordHeaders() : context.headers()));
    }
}
