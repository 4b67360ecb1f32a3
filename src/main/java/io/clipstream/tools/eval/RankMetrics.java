package io.clipstream.tools.eval;

import java.util.Arrays;

/**
 * Retrieval quality over a set of queries: the share whose first right answer is within the top
 * 1, 5 and 10, and the median rank of the first right answer (1 is best).
 */
public record RankMetrics(int count, double recallAt1, double recallAt5, double recallAt10, double medianRank) {

    public static final int[] CUTOFFS = {1, 5, 10};

    /** @param ranks the 1-based rank of the first right answer of each query */
    public static RankMetrics fromRanks(int[] ranks) {
        if (ranks.length == 0) {
            return new RankMetrics(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        int[] sorted = ranks.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
        return new RankMetrics(n, share(sorted, 1), share(sorted, 5), share(sorted, 10), median);
    }

    private static double share(int[] ranks, int cutoff) {
        long within = Arrays.stream(ranks).filter(r -> r <= cutoff).count();
        return (double) within / ranks.length;
    }

    public double recallAt(int cutoff) {
        return switch (cutoff) {
            case 1 -> recallAt1;
            case 5 -> recallAt5;
            case 10 -> recallAt10;
            default -> throw new IllegalArgumentException("recall is kept at 1, 5 and 10, not " + cutoff);
        };
    }
}
