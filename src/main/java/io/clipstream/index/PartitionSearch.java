package io.clipstream.index;

import java.util.List;

/**
 * One query over one {@link SegmentView} of a partition: every sealed segment walked or scanned as the
 * {@link SearchPlanner} says, the open run scanned, and the hits merged into one top k. Everything it reads was
 * published by the view, so it never waits for the writer, for a graph build or for a merge.
 */
final class PartitionSearch {

    private final SegmentView view;
    private final VectorScorer scorer;
    private final SearchPlanner planner;
    private final float[] query;
    private final int k;
    private final FieldFilter filter;
    private final float minScore;
    private final SearchOptions options;
    private final HitCollector top;
    private long scanned;

    PartitionSearch(SegmentView view, VectorScorer scorer, SearchPlanner planner, float[] query, int k,
                    FieldFilter filter, float minScore, SearchOptions options) {
        this.view = view;
        this.scorer = scorer;
        this.planner = planner;
        this.query = query;
        this.k = k;
        this.filter = filter;
        this.minScore = minScore;
        this.options = options;
        this.top = new HitCollector(k);
    }

    PartitionHits run() {
        for (Segment segment : view.segments()) {
            if (planner.plan(segment, filter, view.seq(), options) == SearchPlanner.Plan.WALK) {
                walk(segment);
            } else {
                scanRuns(segment.runs(), Integer.MAX_VALUE, segment.codes(), segment.slotBits, byCodes(segment.graph() == null));
            }
        }
        if (view.openCount() > 0 && options.mode() != SearchOptions.Mode.GRAPH_ONLY) {
            scanOpen();
        }
        return new PartitionHits(top.drainBestFirst(), scanned);
    }

    private boolean accepts(VectorRun run, int slot) {
        return run.aliveAt(slot, view.seq()) && (filter.isEmpty() || filter.matches(run.fields(slot)));
    }

    private void walk(Segment segment) {
        long seq = view.seq();
        FlatGraphSearch.NodeFilter accept = filter.isEmpty()
                ? ordinal -> segment.runOf(ordinal).aliveAt(segment.slotOf(ordinal), seq)
                : ordinal -> accepts(segment.runOf(ordinal), segment.slotOf(ordinal));
        int beam = planner.beamFor(k, options);
        int candidates = scorer.reRanksWholeBeam() ? beam : planner.candidatesFor(k, beam, scorer.walksApproximately());
        FlatGraphSearch.Found walked = segment.graph().walk(segment.ordinalLimit(), scorer.forWalking(query, segment),
                accept, candidates, beam);
        scanned += walked.visited();
        HitCollector found = new HitCollector(k);
        int accepted = 0;
        for (int node : walked.nodes()) {
            VectorRun run = segment.runOf(node);
            int slot = segment.slotOf(node);
            if (!accepts(run, slot)) {
                continue; // JVector filters already; this guards the contract that deleted or filtered ids never return
            }
            float score = scorer.score(query, run, slot);
            if (Float.isNaN(score)) {
                continue; // gone from the store: a delete the index has not applied yet
            }
            accepted++;
            if (score >= minScore) {
                found.offer(run, slot, score);
            }
        }
        if (!filter.isEmpty() && options.mode() == SearchOptions.Mode.AUTO && accepted < k
                && accepted < segment.liveVectors()) {
            // The walk ran out of matching nodes before k: the filter is more selective than the sample showed.
            scanRuns(segment.runs(), Integer.MAX_VALUE, segment.codes(), segment.slotBits, byCodes(false));
            return;
        }
        found.forEach(top::offer);
    }

    private void scanOpen() {
        VectorRun open = view.open();
        boolean byCodes = byCodes(false);
        CodeTable codes = byCodes ? scorer.codeKind().table(List.of(open), view.slotBits(), open.dimension) : null;
        scanRuns(List.of(open), view.openCount(), codes, view.slotBits(), byCodes);
    }

    /**
     * Whether a scan ranks by codes first, never in an exact search. Always where full precision must be read from the
     * store. Where the runs keep float32 too, only for a sealed segment waiting for its graph: after a burst that is
     * most of the partition, every search scans it, and int8 codes score it in about 40 % of the time of float32 (a
     * quarter of the bytes), which leaves the cores to the stream and the builder. A graph's own small-segment and
     * selective-filter scans stay at full precision, as does the open run.
     */
    private boolean byCodes(boolean awaitingGraph) {
        if (options.mode() == SearchOptions.Mode.EXACT) {
            return false;
        }
        return scorer.readsStore() || (awaitingGraph && scorer.scansAwaitingByCodes());
    }

    /**
     * Scores every live, matching slot of the runs (the first {@code limit} slots of each). By codes, the best
     * {@code k * overquery} by code score are re-ranked at full precision; otherwise every slot is scored at full
     * precision.
     */
    private void scanRuns(List<VectorRun> runs, int limit, CodeTable codes, int slotBits, boolean byCodes) {
        HitCollector approximate = byCodes ? new HitCollector(planner.reRankedFor(k)) : null;
        var approximateScores = byCodes ? codes.scoresFor(query) : null;
        for (int position = 0; position < runs.size(); position++) {
            VectorRun run = runs.get(position);
            int end = Math.min(limit, run.count());
            for (int slot = 0; slot < end; slot++) {
                if (!run.aliveAt(slot, view.seq())) {
                    continue;
                }
                // Like an exact index: every live vector counts as looked at, filtered ones by their fields only.
                scanned++;
                if (!filter.isEmpty() && !filter.matches(run.fields(slot))) {
                    continue;
                }
                if (byCodes) {
                    approximate.offer(run, slot, approximateScores.similarityTo((position << slotBits) | slot));
                    continue;
                }
                float score = scorer.score(query, run, slot);
                if (!Float.isNaN(score) && score >= minScore) {
                    top.offer(run, slot, score);
                }
            }
        }
        if (byCodes) {
            approximate.forEach((run, slot, approximateScore) -> {
                float score = scorer.score(query, run, slot);
                if (!Float.isNaN(score) && score >= minScore) {
                    top.offer(run, slot, score);
                }
            });
        }
    }
}
