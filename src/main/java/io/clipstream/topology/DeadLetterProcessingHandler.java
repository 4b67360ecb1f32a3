package io.clipstream.topology;

import io.clipstream.serde.RegistryFailures;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * What a clipstream application does when a processor throws on an input record, as the last line
 * behind the processors' own dead-lettering: a failure retrying heals (the registry or the cluster
 * unreachable, a timeout) fails the task so it is retried from its last commit; a failure of the
 * state stores or of Kafka Streams itself fails it too, since it is not the record's fault; anything
 * else is the record's doing and sends it to the dead-letter topic (code {@code PROCESSING_FAILED})
 * with its original bytes, so that no record can stop a task for good. A punctuation (no input
 * record) that throws fails the task.
 *
 * <p>Applications whose processors work on batches (the embedder) set {@link #MODE_CONFIG} to
 * {@link #FAIL_ALWAYS}: there an exception thrown while one record is processed may belong to
 * another record of the batch, and dead-lettering the innocent one would leave the culprit
 * buffered to fail again. Their processors dead-letter each bad input themselves; what is left
 * fails the task, and readiness reports where.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {

    public static final String PROCESSING_FAILED = "PROCESSING_FAILED";
    /** Streams config key: {@link #DEAD_LETTER} (default) or {@link #FAIL_ALWAYS}. */
    public static final String MODE_CONFIG = "clipstream.processing.failures";
    public static final String DEAD_LETTER = "dead-letter";
    public static final String FAIL_ALWAYS = "fail";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);

    private HandlerSettings settings = HandlerSettings.DEFAULT;
    private boolean deadLettering = true;

    @Override
    public void configure(Map<String, ?> configs) {
        settings = HandlerSettings.from(configs);
        deadLettering = !FAIL_ALWAYS.equals(configs.get(MODE_CONFIG));
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (!deadLettering || record == null || context == null || context.topic() == null || retriable(exception)) {
            LOG.warn("{} failed on {} ({}); failing the task so that it is retried from its last commit",
                    context == null ? "a processor" : context.processorNodeId(), where(context), exception.toString());
            settings.failing(context, exception);
            return Response.fail();
        }
        String reason = context.processorNodeId() + " failed: " + FailedRecords.describe(exception);
        LOG.warn("dead-lettering {}: {}", where(context), reason, exception);
        DeadLetter letter = new DeadLetter(context.sourceRawKey(), context.sourceRawValue(), PROCESSING_FAILED, reason,
                context.topic(), context.partition(), context.offset());
        Long timestamp = context.timestamp() < 0 ? null : context.timestamp();
        return Response.resume(List.of(new ProducerRecord<>(settings.deadLetters(), null, timestamp, context.sourceRawKey(),
                context.sourceRawValue(), letter.headers(context.headers() == null ? new RecordHeaders() : context.headers()))));
    }

    /**
     * Not the record's fault: retrying (or fixing the deployment) will get past it. Kafka Streams'
     * own exceptions count here: a failed write of an earlier output surfaces as a StreamsException
     * from the sink while a later record is processed, and that later record is innocent.
     */
    static boolean retriable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof RetriableException || cause instanceof StreamsException
                    || cause instanceof java.util.concurrent.TimeoutException || cause instanceof InterruptedException) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return RegistryFailures.isTransient(failure);
    }

    private static String where(ErrorHandlerContext context) {
        return context == null || context.topic() == null ? "a punctuation"
                : context.topic() + "-" + context.partition() + "@" + context.offset();
    }
}
