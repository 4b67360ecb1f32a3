package io.clipstream.tools.bench;

/**
 * What one timed run did: {@code items} inputs in {@code calls} batch calls over {@code nanos}
 * nanoseconds of wall-clock time.
 */
public record Throughput(long items, long calls, long nanos) {

    public Throughput {
        if (items <= 0 || calls <= 0 || nanos <= 0) {
            throw new IllegalArgumentException("a throughput needs positive items, calls and time, got "
                    + items + " items, " + calls + " calls, " + nanos + " ns");
        }
    }

    /** The mean over the whole run (items over elapsed time), not a mean of per-call rates. */
    public double itemsPerSecond() {
        return items * 1e9 / nanos;
    }
}
