package io.clipstream.tools.bench;

import java.util.Arrays;

/**
 * Per-request latencies reduced to the figures a reader compares: median, tail, mean and worst,
 * in milliseconds. Percentiles are nearest-rank (the smallest sample with at least p% of the
 * samples at or below it), so every reported value is a latency that was actually observed.
 */
public record LatencySummary(int count, double p50Ms, double p99Ms, double meanMs, double maxMs) {

    private static final double NANOS_PER_MS = 1_000_000.0;

    public static LatencySummary ofNanos(long[] nanos) {
        if (nanos.length == 0) {
            throw new IllegalArgumentException("no latencies to summarise: measure at least one request");
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double sum = 0;
        for (long n : sorted) {
            sum += n;
        }
        return new LatencySummary(sorted.length, percentile(sorted, 50) / NANOS_PER_MS, percentile(sorted, 99) / NANOS_PER_MS,
                sum / sorted.length / NANOS_PER_MS, sorted[sorted.length - 1] / NANOS_PER_MS);
    }

    /** Nearest-rank percentile of ascending values. */
    static long percentile(long[] ascending, double p) {
        if (ascending.length == 0 || p <= 0 || p > 100) {
            throw new IllegalArgumentException("percentile " + p + " of " + ascending.length + " values: give 0 < p <= 100 and values");
        }
        int rank = (int) Math.ceil(p / 100.0 * ascending.length);
        return ascending[Math.max(rank, 1) - 1];
    }
}
