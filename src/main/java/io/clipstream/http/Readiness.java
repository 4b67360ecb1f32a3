package io.clipstream.http;

import java.util.Map;

/** Whether this instance can serve: every Kafka Streams application it runs is RUNNING. */
public interface Readiness {

    /** Application name to its state (CREATED, REBALANCING, RUNNING, ERROR...). */
    Map<String, String> states();

    default boolean ready() {
        Map<String, String> states = states();
        return !states.isEmpty() && states.values().stream().allMatch("RUNNING"::equals);
    }
}
