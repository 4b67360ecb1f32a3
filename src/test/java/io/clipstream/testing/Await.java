package io.clipstream.testing;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.fail;

/** Waits on a condition by polling it; the only waiting the integration tests do. */
public final class Await {

    private Await() {
    }

    public static <T> T until(Duration timeout, String what, Supplier<Optional<T>> probe) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (true) {
            try {
                Optional<T> value = probe.get();
                if (value.isPresent()) {
                    return value.get();
                }
            } catch (RuntimeException e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                fail("timed out after " + timeout + " waiting for " + what + (last == null ? "" : " (last error: " + last + ")"));
            }
            Thread.sleep(100);
        }
    }

    /**
     * Polls like {@link #until} but answers false at the timeout instead of failing, for callers whose
     * own assertions then say what is missing.
     */
    public static boolean within(Duration timeout, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }

    public static void until(Duration timeout, String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        until(timeout, what, () -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }
}
