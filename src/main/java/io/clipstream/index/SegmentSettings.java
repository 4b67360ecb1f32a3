package io.clipstream.index;

import java.time.Duration;
import java.util.Objects;

/**
 * How a partition's segments grow, seal, merge and persist ({@link SegmentedIndex}).
 *
 * @param runVectors      vectors a run holds: the open (exactly scanned) segment is sealed when it has this many, and
 *                        every sealed segment is a list of such runs
 * @param mergeFactor     a tier merges when it has this many sealed segments of about the same size (Lucene's
 *                        segments per tier): higher means fewer merges and more segments to search
 * @param idleAfter       a partition that took no write for this long seals a sizeable open segment and merges its
 *                        segments into one, so a partition at rest is searched through one graph
 * @param buildThreads    threads that build and merge graphs, shared by every partition of the JVM
 * @param persistInterval the least time between two manifests of one partition (written at commits)
 * @param maxStateAge     a manifest older than this is not trusted: it must be younger than the vector topics'
 *                        {@code delete.retention.ms}, or tombstones written after it may be compacted away before the
 *                        tail is replayed
 */
public record SegmentSettings(int runVectors, int mergeFactor, Duration idleAfter, int buildThreads,
                              Duration persistInterval, Duration maxStateAge) {

    /** Kafka's default {@code delete.retention.ms}. */
    public static final Duration DEFAULT_MAX_STATE_AGE = Duration.ofDays(1);

    public static final SegmentSettings DEFAULTS = new SegmentSettings(8_192, 10, Duration.ofSeconds(5),
            Runtime.getRuntime().availableProcessors(), Duration.ofSeconds(1), DEFAULT_MAX_STATE_AGE);

    public SegmentSettings {
        Objects.requireNonNull(idleAfter, "idleAfter");
        Objects.requireNonNull(persistInterval, "persistInterval");
        Objects.requireNonNull(maxStateAge, "maxStateAge");
        if (runVectors < 16 || runVectors > 1 << 20 || Integer.bitCount(runVectors) != 1) {
            throw new IllegalArgumentException("index.segment.vectors is " + runVectors + ": use a power of two from 16 "
                    + "to 1048576 (8192 is usual; the open segment is scanned exactly, so keep it small)");
        }
        if (mergeFactor < 2 || mergeFactor > 100) {
            throw new IllegalArgumentException("index.merge.factor is " + mergeFactor + ": use 2 to 100 (10 is usual)");
        }
        if (buildThreads < 1) {
            throw new IllegalArgumentException("index.build.threads is " + buildThreads + ": use at least 1");
        }
        if (idleAfter.isNegative() || persistInterval.isNegative() || maxStateAge.isNegative()) {
            throw new IllegalArgumentException("segment durations must not be negative: idle " + idleAfter
                    + ", persist interval " + persistInterval + ", max state age " + maxStateAge);
        }
    }

    /** A copy with another run size (tests and benchmarks). */
    public SegmentSettings withRunVectors(int vectors) {
        return new SegmentSettings(vectors, mergeFactor, idleAfter, buildThreads, persistInterval, maxStateAge);
    }

    /** A copy with another idle time (tests and benchmarks). */
    public SegmentSettings withIdleAfter(Duration idle) {
        return new SegmentSettings(runVectors, mergeFactor, idle, buildThreads, persistInterval, maxStateAge);
    }
}
