package io.clipstream.index;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which sealed segments to merge next, in the manner of Lucene's tiered merge policy. Segments are grouped in tiers
 * by size ({@code runVectors * mergeFactor^tier}); a tier holding {@code mergeFactor} finished segments merges them
 * into one of the next tier. A partition at rest merges everything into one segment, so a quiet index is searched
 * through a single graph, as fast as an index built in one go. A segment whose dead slots reach
 * {@value #COMPACT_DEAD_FRACTION} of it is rewritten without them first: updates and deletes do not pile up.
 * Only finished segments (graph built, runs on disk) take part.
 */
final class MergePolicy {

    /** A segment this dead is rewritten without its dead slots. */
    static final double COMPACT_DEAD_FRACTION = 0.3;

    /** What to do: merge {@code inputs} (in list order), or rewrite the single input without its dead slots. */
    record Spec(List<Segment> inputs, boolean compact) {
    }

    private final int runVectors;
    private final int mergeFactor;

    MergePolicy(SegmentSettings settings) {
        this.runVectors = settings.runVectors();
        this.mergeFactor = settings.mergeFactor();
    }

    /** @return the next merge, or null when there is nothing to do */
    Spec pick(List<Segment> segments, boolean idle) {
        List<Segment> finished = new ArrayList<>();
        for (Segment segment : segments) {
            if (segment.graph() != null && segment.persisted()) {
                finished.add(segment);
            }
        }
        for (Segment segment : finished) {
            if (segment.deadFraction() >= COMPACT_DEAD_FRACTION) {
                return new Spec(List.of(segment), true);
            }
        }
        Map<Integer, List<Segment>> tiers = new TreeMap<>();
        for (Segment segment : finished) {
            tiers.computeIfAbsent(tier(segment), ignored -> new ArrayList<>()).add(segment);
        }
        for (List<Segment> tier : tiers.values()) {
            if (tier.size() >= mergeFactor) {
                return new Spec(List.copyOf(tier.subList(0, mergeFactor)), false);
            }
        }
        if (idle && finished.size() >= 2 && finished.size() == segments.size()) {
            long largest = finished.stream().mapToLong(Segment::vectors).max().orElse(0);
            long total = finished.stream().mapToLong(Segment::vectors).sum();
            // Merging one run's worth or more into the largest pays for itself in every later search.
            if (total - largest >= runVectors) {
                return new Spec(List.copyOf(finished), false);
            }
        }
        return null;
    }

    int tier(Segment segment) {
        long runs = Math.max(1, segment.vectors() / runVectors);
        int tier = 0;
        while (runs >= mergeFactor) {
            runs /= mergeFactor;
            tier++;
        }
        return tier;
    }

    /** The input whose graph a merge keeps and extends: the largest. */
    static Segment base(List<Segment> inputs) {
        return inputs.stream().max(Comparator.comparingInt(Segment::vectors)).orElseThrow();
    }
}
