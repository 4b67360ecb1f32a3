package io.clipstream.tools.eval;

import java.util.Arrays;
import java.util.List;

/**
 * What a ranking in random order would score, computed exactly rather than simulated: with
 * {@code r} right answers among {@code n} candidates, the first right answer is in the top
 * {@code k} with probability {@code 1 - C(n-r, k) / C(n, k)}, and its expected rank is
 * {@code (n + 1) / (r + 1)}. The median rank reported is the median of those expectations.
 */
public final class RandomBaseline {

    private RandomBaseline() {
    }

    /** @param relevantCounts for each query, how many of the {@code candidates} are right answers */
    public static RankMetrics expected(List<Integer> relevantCounts, int candidates) {
        if (relevantCounts.isEmpty()) {
            return RankMetrics.fromRanks(new int[0]);
        }
        double[] recall = new double[RankMetrics.CUTOFFS.length];
        double[] expectedRanks = new double[relevantCounts.size()];
        for (int q = 0; q < relevantCounts.size(); q++) {
            int right = relevantCounts.get(q);
            for (int c = 0; c < RankMetrics.CUTOFFS.length; c++) {
                recall[c] += hitProbability(candidates, right, RankMetrics.CUTOFFS[c]);
            }
            expectedRanks[q] = (candidates + 1.0) / (right + 1.0);
        }
        Arrays.sort(expectedRanks);
        int n = expectedRanks.length;
        double median = n % 2 == 1 ? expectedRanks[n / 2] : (expectedRanks[n / 2 - 1] + expectedRanks[n / 2]) / 2;
        return new RankMetrics(n, recall[0] / n, recall[1] / n, recall[2] / n, median);
    }

    /** P(at least one of {@code right} among {@code n} lands in the first {@code k}). */
    static double hitProbability(int n, int right, int k) {
        if (k >= n) {
            return right > 0 ? 1 : 0;
        }
        // C(n-r, k) / C(n, k) = prod_{i=0}^{k-1} (n-r-i) / (n-i)
        double miss = 1;
        for (int i = 0; i < k; i++) {
            miss *= Math.max(0, n - right - i) / (double) (n - i);
        }
        return 1 - miss;
    }
}
