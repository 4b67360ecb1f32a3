package io.clipstream.fetch;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Per server (host name and port): a limit on fetches in flight and a {@link CircuitBreaker}. Hosts that have nothing
 * in flight and nothing to remember are forgotten once more than {@link #MAX_HOSTS} are known, so a
 * feed naming millions of hosts cannot grow this without bound.
 */
final class HostGates {

    static final int MAX_HOSTS = 4096;

    /** One host's permits and breaker. */
    static final class Gate {
        private final int permits;
        private final Semaphore inFlight;
        private final CircuitBreaker breaker;

        Gate(int permits, CircuitBreaker breaker) {
            this.permits = permits;
            this.inFlight = new Semaphore(permits, true);
            this.breaker = breaker;
        }

        /** Waits for a slot until the deadline; false when none came free in time. */
        boolean acquire(long deadlineNanos) throws InterruptedException {
            return inFlight.tryAcquire(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        }

        void release() {
            inFlight.release();
        }

        CircuitBreaker breaker() {
            return breaker;
        }

        boolean unused() {
            return inFlight.availablePermits() == permits && !inFlight.hasQueuedThreads();
        }
    }

    private final FetchConcurrency settings;
    private final LongSupplier nanoClock;
    private final Map<String, Gate> gates = new ConcurrentHashMap<>();

    HostGates(FetchConcurrency settings, LongSupplier nanoClock) {
        this.settings = settings;
        this.nanoClock = nanoClock;
    }

    Gate gate(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        Gate gate = gates.computeIfAbsent(name, h -> new Gate(settings.maxPerHost(),
                new CircuitBreaker(settings.circuitFailures(), settings.circuitOpen().toNanos(), nanoClock)));
        if (gates.size() > MAX_HOSTS) {
            forgetIdle();
        }
        return gate;
    }

    private void forgetIdle() {
        gates.values().removeIf(g -> g.unused() && g.breaker().idle());
        if (gates.size() > MAX_HOSTS) {
            // Still too many: forget open breakers too; the worst that happens is one more try of a dead host.
            gates.values().removeIf(Gate::unused);
        }
    }

    int known() {
        return gates.size();
    }
}
