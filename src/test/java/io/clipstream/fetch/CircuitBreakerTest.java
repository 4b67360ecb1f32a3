package io.clipstream.fetch;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CircuitBreakerTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final CircuitBreaker breaker = new CircuitBreaker(3, 30_000_000_000L, now::get);

    @Test
    void opensAfterConsecutiveFailuresOnly() {
        breaker.failed("timeout");
        breaker.failed("timeout");
        breaker.succeeded();
        breaker.failed("timeout");
        breaker.failed("timeout");
        assertNull(breaker.admit(), "a success in between resets the count");
        breaker.failed("connection refused");
        String refusal = breaker.admit();
        assertNotNull(refusal);
        assertTrue(refusal.contains("last 3 fetches") && refusal.contains("connection refused")
                && refusal.contains("fetch.circuit.failures"), refusal);
    }

    @Test
    void afterTheOpenPeriodOneProbeDecides() {
        for (int i = 0; i < 3; i++) {
            breaker.failed("timeout");
        }
        now.addAndGet(29_000_000_000L);
        assertNotNull(breaker.admit(), "still open");
        now.addAndGet(2_000_000_000L);
        assertNull(breaker.blocked(), "open period over: a probe may go");
        assertNull(breaker.admit(), "this caller is the probe");
        assertNotNull(breaker.admit(), "only one probe at a time");
        breaker.failed("timeout");
        assertNotNull(breaker.admit(), "a failed probe opens the circuit again at once");

        now.addAndGet(31_000_000_000L);
        assertNull(breaker.admit());
        breaker.succeeded();
        assertNull(breaker.admit());
        assertNull(breaker.admit(), "closed again: everyone may go");
        assertTrue(breaker.idle());
    }
}
