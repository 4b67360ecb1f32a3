package io.clipstream.fetch;

import java.time.Duration;

/**
 * How many URL fetches run at once, and how a failing host is kept from costing every event its
 * fetch timeout.
 *
 * @param maxInFlight     fetch.max.in.flight: fetches in flight per instance, all hosts together
 * @param maxPerHost      fetch.max.per.host: fetches in flight to one server (host name and port); more wait their turn
 *                        (within the fetch timeout, which counts from when the fetch was asked for)
 * @param circuitFailures fetch.circuit.failures: consecutive failures after which a host is not contacted
 * @param circuitOpen     fetch.circuit.open.ms: for how long; then one probe fetch decides
 */
public record FetchConcurrency(int maxInFlight, int maxPerHost, int circuitFailures, Duration circuitOpen) {

    public static final FetchConcurrency DEFAULT = new FetchConcurrency(64, 16, 5, Duration.ofSeconds(30));

    public FetchConcurrency {
        if (maxInFlight < 1 || maxPerHost < 1 || circuitFailures < 1 || circuitOpen.isNegative() || circuitOpen.isZero()) {
            throw new IllegalArgumentException("fetch concurrency settings must be positive: fetch.max.in.flight=" + maxInFlight
                    + " fetch.max.per.host=" + maxPerHost + " fetch.circuit.failures=" + circuitFailures
                    + " fetch.circuit.open.ms=" + circuitOpen.toMillis());
        }
    }
}
