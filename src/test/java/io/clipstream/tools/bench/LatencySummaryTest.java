package io.clipstream.tools.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LatencySummaryTest {

    @Test
    void percentilesAreNearestRankSoEachIsAnObservedValue() {
        long[] ascending = new long[100];
        for (int i = 0; i < 100; i++) {
            ascending[i] = (i + 1) * 1_000_000L; // 1 ms .. 100 ms
        }
        assertEquals(50_000_000L, LatencySummary.percentile(ascending, 50));
        assertEquals(99_000_000L, LatencySummary.percentile(ascending, 99));
        assertEquals(100_000_000L, LatencySummary.percentile(ascending, 100));
        assertEquals(1_000_000L, LatencySummary.percentile(ascending, 0.5));
        assertEquals(7L, LatencySummary.percentile(new long[]{7}, 99));
    }

    @Test
    void summarisesUnsortedNanosInMilliseconds() {
        LatencySummary summary = LatencySummary.ofNanos(new long[]{4_000_000, 1_000_000, 3_000_000, 2_000_000});
        assertEquals(4, summary.count());
        assertEquals(2.0, summary.p50Ms(), 1e-9);
        assertEquals(4.0, summary.p99Ms(), 1e-9);
        assertEquals(2.5, summary.meanMs(), 1e-9);
        assertEquals(4.0, summary.maxMs(), 1e-9);
    }

    @Test
    void refusesNothingToSummarise() {
        assertThrows(IllegalArgumentException.class, () -> LatencySummary.ofNanos(new long[0]));
        assertThrows(IllegalArgumentException.class, () -> LatencySummary.percentile(new long[]{1}, 0));
    }
}
