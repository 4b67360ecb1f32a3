package io.clipstream.fetch;

import java.util.function.LongSupplier;

/**
 * Consecutive-failure circuit breaker for one host: after {@code failuresToOpen} fetches in a row
 * failed (no connection, timeout, reset, HTTP 5xx or 429), the host is not contacted for
 * {@code openNanos}, so its events are dead-lettered at once instead of each waiting out the fetch
 * timeout. After that one fetch goes through as a probe: success closes the circuit, failure opens
 * it again. Thread-safe.
 */
final class CircuitBreaker {

    private final int failuresToOpen;
    private final long openNanos;
    private final LongSupplier nanoClock;
    private int consecutiveFailures;
    private boolean open;
    private long openUntil;
    private boolean probing;
    private String lastFailure;

    CircuitBreaker(int failuresToOpen, long openNanos, LongSupplier nanoClock) {
        this.failuresToOpen = failuresToOpen;
        this.openNanos = openNanos;
        this.nanoClock = nanoClock;
    }

    /** Why a fetch may not go out now, or null; does not claim the probe. */
    synchronized String blocked() {
        if (!open) {
            return null;
        }
        if (nanoClock.getAsLong() - openUntil < 0) {
            return openReason();
        }
        return probing ? openReason() : null;
    }

    /**
     * Why a fetch may not go out now, or null when it may; once the open period is over, the first
     * caller is let through as the probe and must report {@link #succeeded} or {@link #failed}.
     */
    synchronized String admit() {
        String blocked = blocked();
        if (blocked == null && open) {
            probing = true;
        }
        return blocked;
    }

    synchronized void succeeded() {
        consecutiveFailures = 0;
        open = false;
        probing = false;
    }

    synchronized void failed(String why) {
        consecutiveFailures++;
        lastFailure = why;
        if (probing || consecutiveFailures >= failuresToOpen) {
            open = true;
            probing = false;
            openUntil = nanoClock.getAsLong() + openNanos;
        }
    }

    /** Neither open nor counting failures: nothing would be lost by forgetting it. */
    synchronized boolean idle() {
        return !open && consecutiveFailures == 0;
    }

    private String openReason() {
        return "the host failed its last " + consecutiveFailures + " fetches (last: " + lastFailure + "), so it is not contacted for "
                + Math.max(1, openNanos / 1_000_000_000L) + " s (fetch.circuit.failures, fetch.circuit.open.ms)";
    }
}
