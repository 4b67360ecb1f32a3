package io.clipstream.index;

/**
 * Chooses, per segment and query, between walking the segment's graph and scanning it exactly. A scan is chosen
 * where it is exact and about as fast or faster: a segment without a graph yet (it is still being built), a small
 * one ({@link AnnSettings#minSize()}), and a filter that keeps so few of the segment's vectors
 * ({@link AnnSettings#exactFilterBelow()}, judged on a sample) that a walk would visit mostly rejected nodes.
 */
final class SearchPlanner {

    /** Slots sampled to judge how much of a segment a filter keeps. */
    static final int FILTER_SAMPLE = 512;

    enum Plan { SCAN, WALK }

    private final AnnSettings ann;

    /** @param ann the graph settings, or null when the index scans only */
    SearchPlanner(AnnSettings ann) {
        this.ann = ann;
    }

    Plan plan(Segment segment, FieldFilter filter, long seq, SearchOptions options) {
        if (options.mode() == SearchOptions.Mode.EXACT || ann == null || segment.graph() == null) {
            return Plan.SCAN;
        }
        if (options.mode() == SearchOptions.Mode.GRAPH_ONLY) {
            return Plan.WALK;
        }
        if (segment.graph().nodes() < ann.minSize()) {
            return Plan.SCAN;
        }
        if (!filter.isEmpty() && sampledMatchFraction(segment, filter, seq) < ann.exactFilterBelow()) {
            return Plan.SCAN;
        }
        return Plan.WALK;
    }

    /** The fraction of a sample of live slots, spread over the segment, that the filter keeps. */
    static double sampledMatchFraction(Segment segment, FieldFilter filter, long seq) {
        int limit = segment.ordinalLimit();
        int step = Math.max(1, limit / FILTER_SAMPLE);
        int sampled = 0;
        int matched = 0;
        for (int ordinal = 0; ordinal < limit; ordinal += step) {
            VectorRun run = segment.runOf(ordinal);
            int slot = segment.slotOf(ordinal);
            if (slot < run.count() && run.aliveAt(slot, seq)) {
                sampled++;
                if (filter.matches(run.fields(slot))) {
                    matched++;
                }
            }
        }
        return sampled == 0 ? 0 : (double) matched / sampled;
    }

    /** The beam of a walk for k hits. */
    int beamFor(int k, SearchOptions options) {
        if (options.beam() > 0) {
            return Math.max(k, options.beam());
        }
        return ann.searchBeamFor(k);
    }

    /** How many candidates a walk hands back for k hits: more than k when its scores are re-ranked. */
    int candidatesFor(int k, int beam, boolean approximate) {
        return approximate ? Math.min(beam, Math.max(k, (int) Math.ceil(k * ann.overquery()))) : Math.min(k, beam);
    }

    /** How many of an approximate scan's best slots are re-ranked at full precision for k hits. */
    int reRankedFor(int k) {
        return ann == null ? k : Math.max(k, (int) Math.ceil(k * ann.overquery()));
    }
}
