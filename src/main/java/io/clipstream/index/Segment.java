package io.clipstream.index;

import java.util.List;

/**
 * A sealed segment: an ordered list of full (or closed) {@link VectorRun}s and, once the background builder has made
 * it, a graph over their live slots. A node's graph ordinal is {@code run position << slotBits | slot}, so a merge
 * that puts its largest input's runs first keeps that input's graph valid for the merged segment, and only the other
 * inputs' vectors need inserting.
 *
 * <p>The runs never change; the graph is set once ({@link #installGraph}) and read through a volatile field, so a
 * search sees either no graph (and scans exactly) or a whole one.
 */
final class Segment {

    final long id;
    private final VectorRun[] runs;
    final int slotBits;
    private final int vectors;
    private final CodeTable codes;
    private volatile SegmentGraph graph;

    Segment(long id, List<VectorRun> runs, int slotBits) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("segment " + id + " needs at least one run");
        }
        this.id = id;
        this.runs = runs.toArray(VectorRun[]::new);
        this.slotBits = slotBits;
        int total = 0;
        for (VectorRun run : this.runs) {
            total += run.count();
        }
        this.vectors = total;
        RunCodes first = this.runs[0].codes();
        this.codes = first == null ? null
                : first.kind().table(runs, slotBits, this.runs[0].dimension);
    }


    List<VectorRun> runs() {
        return List.of(runs);
    }

    int runCount() {
        return runs.length;
    }

    VectorRun run(int position) {
        return runs[position];
    }

    VectorRun runOf(int ordinal) {
        return runs[ordinal >>> slotBits];
    }

    int slotOf(int ordinal) {
        return ordinal & ((1 << slotBits) - 1);
    }

    int ordinal(int position, int slot) {
        return (position << slotBits) | slot;
    }

    /** One past the highest ordinal a node of this segment can have. */
    int ordinalLimit() {
        return runs.length << slotBits;
    }

    /** Slots written, dead ones included. */
    int vectors() {
        return vectors;
    }

    /** Live slots now (the writer's view; approximate for other threads). */
    int liveVectors() {
        int live = 0;
        for (VectorRun run : runs) {
            live += run.liveCount();
        }
        return live;
    }

    /** The share of written slots that are dead. */
    double deadFraction() {
        return vectors == 0 ? 0 : 1.0 - (double) liveVectors() / vectors;
    }

    CodeTable codes() {
        return codes;
    }

    SegmentGraph graph() {
        return graph;
    }

    void installGraph(SegmentGraph built) {
        this.graph = built;
    }

    boolean persisted() {
        for (VectorRun run : runs) {
            if (!run.persisted()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "segment " + id + " (" + vectors + " vectors in " + runs.length + " runs" + (graph == null ? ", no graph" : "") + ")";
    }
}
