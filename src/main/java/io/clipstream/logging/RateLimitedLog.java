package io.clipstream.logging;

import org.slf4j.Logger;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A warning that a client or a failing peer can cause at any rate, logged at most once per
 * interval; the next line says how many were left out meanwhile, so nothing is hidden but the
 * repetition. Counting each occurrence is the job of a metric beside it.
 */
public final class RateLimitedLog {

    private final Logger log;
    private final long intervalNanos;
    private final LongSupplier clock;
    private final AtomicLong nextAllowed = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    public RateLimitedLog(Logger log, Duration interval) {
        this(log, interval, System::nanoTime);
    }

    RateLimitedLog(Logger log, Duration interval, LongSupplier clock) {
        this.log = log;
        this.intervalNanos = interval.toNanos();
        this.clock = clock;
    }

    /** Logs at WARN unless a line went out less than an interval ago; returns whether it was logged. */
    public boolean warn(String format, Object... arguments) {
        long now = clock.getAsLong();
        long allowed = nextAllowed.get();
        if ((allowed != Long.MIN_VALUE && now - allowed < 0) || !nextAllowed.compareAndSet(allowed, now + intervalNanos)) {
            suppressed.incrementAndGet();
            return false;
        }
        long left = suppressed.getAndSet(0);
        if (left > 0 && log.isWarnEnabled()) {
            log.warn(format + " (and " + left + " more like it since the last such line)", arguments);
        } else {
            log.warn(format, arguments);
        }
        return true;
    }
}
