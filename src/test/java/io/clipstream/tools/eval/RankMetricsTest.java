package io.clipstream.tools.eval;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RankMetricsTest {

    @Test
    void recallCountsQueriesWhoseFirstRightAnswerIsWithinTheCutoff() {
        RankMetrics m = RankMetrics.fromRanks(new int[]{12, 1, 7, 3});
        assertEquals(4, m.count());
        assertEquals(0.25, m.recallAt1());
        assertEquals(0.5, m.recallAt5());
        assertEquals(0.75, m.recallAt10());
        assertEquals(5.0, m.medianRank(), "the mean of the two middle ranks 3 and 7");
        assertEquals(3.0, RankMetrics.fromRanks(new int[]{9, 3, 1}).medianRank());
        assertThrows(IllegalArgumentException.class, () -> m.recallAt(3));
    }

    @Test
    void randomBaselineIsTheExactHypergeometricExpectation() {
        assertEquals(0.5, RandomBaseline.hitProbability(10, 1, 5), 1e-12);
        // Two right answers among four, one pick: 1 - (2/4) = 0.5; two picks: 1 - (2/4)(1/3) = 5/6.
        assertEquals(0.5, RandomBaseline.hitProbability(4, 2, 1), 1e-12);
        assertEquals(5.0 / 6, RandomBaseline.hitProbability(4, 2, 2), 1e-12);
        assertEquals(1.0, RandomBaseline.hitProbability(3, 1, 10), 1e-12);

        RankMetrics random = RandomBaseline.expected(List.of(1, 1, 1), 100);
        assertEquals(0.01, random.recallAt1(), 1e-12);
        assertEquals(0.10, random.recallAt10(), 1e-12);
        assertEquals(101 / 2.0, random.medianRank(), 1e-12);
    }
}
