package io.clipstream.http;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Whether this instance can serve: every Kafka Streams application it runs is RUNNING and none
 * keeps losing stream threads.
 */
public interface Readiness {

    /** Application name to its state (CREATED, REBALANCING, RUNNING, ERROR...). */
    Map<String, String> states();

    /** Applications whose stream threads were replaced too often lately; a RUNNING state alone hides them. */
    default List<FailingThreads> failing() {
        return List.of();
    }

    default boolean ready() {
        Map<String, String> states = states();
        return !states.isEmpty() && states.values().stream().allMatch("RUNNING"::equals) && failing().isEmpty();
    }

    /**
     * An application whose threads keep failing, and where the last failure happened when known.
     *
     * @param replacements threads replaced within {@code window}
     * @param task         the failing task, or null when not known
     * @param topic        the input record's topic, or null
     * @param partition    its partition, or -1
     * @param offset       its offset, or -1
     * @param error        the last failure
     */
    record FailingThreads(String application, int replacements, Duration window, String task, String topic, int partition,
                          long offset, String error) {
    }
}
