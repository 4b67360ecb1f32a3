package io.clipstream.tools.bench;

import java.time.Duration;
import java.util.function.IntConsumer;

/**
 * Times a batch call for a wall-clock budget rather than a fixed count, so that a slow model and a
 * fast one both get measured for about as long. Before timing, it warms up (JIT, ONNX Runtime's
 * first-run allocations and kernel choices) for a fifth of the budget. Both phases make at least
 * one call, so a budget shorter than one call still measures something.
 *
 * <p>{@code scripts/bench_torch.py} follows the same rules, so the two sides are comparable.
 */
public final class ThroughputMeter {

    static final double WARMUP_FRACTION = 0.2;

    private final long budgetNanos;
    private final long warmupNanos;

    public ThroughputMeter(Duration budget) {
        if (budget.isNegative() || budget.isZero()) {
            throw new IllegalArgumentException("the measurement budget must be positive, got " + budget);
        }
        this.budgetNanos = budget.toNanos();
        this.warmupNanos = (long) (budgetNanos * WARMUP_FRACTION);
    }

    /**
     * @param batchSize inputs per call, to count items
     * @param call      runs batch number k (the caller picks which inputs batch k holds)
     */
    public Throughput measure(int batchSize, IntConsumer call) {
        int k = 0;
        long warmStart = System.nanoTime();
        do {
            call.accept(k++);
        } while (System.nanoTime() - warmStart < warmupNanos);
        long calls = 0;
        long start = System.nanoTime();
        long elapsed;
        do {
            call.accept(k++);
            calls++;
            elapsed = System.nanoTime() - start;
        } while (elapsed < budgetNanos);
        return new Throughput(calls * batchSize, calls, elapsed);
    }
}
