package io.clipstream.topology;

import org.apache.kafka.streams.errors.ErrorHandlerContext;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last input record each application's exception handlers chose to fail a task for (a
 * transient failure, retried from the last commit), so that a stream thread that keeps dying can be
 * reported with the task, topic, partition and offset it dies on. Handlers are created by Kafka
 * Streams; they find this object in their configuration under {@link #CONFIG}.
 */
public final class FailedRecords {

    /** Streams config key under which the handlers find the instance. */
    public static final String CONFIG = "clipstream.failed.records";

    /** Where a task failed: the input record being processed, and why. */
    public record FailedRecord(String task, String topic, int partition, long offset, String reason) {
    }

    private final Map<String, FailedRecord> lastByApplication = new ConcurrentHashMap<>();

    /** Remembers the record in {@code context} as the one {@code applicationId}'s task fails on. */
    public void failing(String applicationId, ErrorHandlerContext context, Throwable reason) {
        if (applicationId == null) {
            return;
        }
        String task = context == null || context.taskId() == null ? null : context.taskId().toString();
        String topic = context == null ? null : context.topic();
        int partition = context == null ? -1 : context.partition();
        long offset = context == null ? -1 : context.offset();
        lastByApplication.put(applicationId, new FailedRecord(task, topic, partition, offset, describe(reason)));
    }

    /** The record noted for {@code applicationId}, forgotten as it is taken: it belongs to one failure. */
    public Optional<FailedRecord> take(String applicationId) {
        return Optional.ofNullable(lastByApplication.remove(applicationId));
    }

    /** The instance in a handler's configuration, if the application was given one. */
    static Optional<FailedRecords> from(Map<String, ?> configs) {
        return configs.get(CONFIG) instanceof FailedRecords records ? Optional.of(records) : Optional.empty();
    }

    /** The failure's message and, when it does not say it already, its root cause's. */
    static String describe(Throwable failure) {
        if (failure == null) {
            return "";
        }
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == failure || root.getMessage() == null || message.contains(root.getMessage())
                ? message : message + ": " + root.getMessage();
    }
}
