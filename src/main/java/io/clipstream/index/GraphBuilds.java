package io.clipstream.index;

import io.github.jbellis.jvector.graph.GraphIndexBuilder;
import io.github.jbellis.jvector.graph.OnHeapGraphIndex;
import io.github.jbellis.jvector.graph.similarity.BuildScoreProvider;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

/**
 * The graph work of one partition, done by the maintenance lanes off the writer's thread: a fresh graph for a sealed
 * segment, a merge that extends its largest input's saved graph with the others' vectors, a compaction into new runs.
 * Each reads sealed runs only (their data never changes; a slot that dies meanwhile is filtered at search time) and
 * returns what the partition installs under its lock; none touches the partition's state. Nodes are inserted on the
 * pool a chunk at a time, and the work stops at the next chunk once the partition closes.
 */
final class GraphBuilds {

    /** Nodes inserted between two checks that the partition is still open. */
    private static final int INSERT_CHUNK = 2_048;

    /** A compaction's result: the new segment (graph built, runs on disk) and where each copied slot came from. */
    record Compaction(Segment compacted, List<VectorRun> copies, List<SlotRef> movedFrom) {
    }

    private final String name;
    private final int dimension;
    private final AnnSettings ann;
    private final VectorScorer scorer;
    private final SegmentDirectory directory;
    private final int slotBits;
    private final BooleanSupplier closed;

    GraphBuilds(String name, int dimension, AnnSettings ann, VectorScorer scorer, SegmentDirectory directory, int slotBits,
                BooleanSupplier closed) {
        this.name = name;
        this.dimension = dimension;
        this.ann = ann;
        this.scorer = scorer;
        this.directory = directory;
        this.slotBits = slotBits;
        this.closed = closed;
    }

    /** The graph of a freshly sealed segment over its live slots, saved; null when no slot is alive. */
    SegmentGraph build(Segment segment, ForkJoinPool pool) throws IOException {
        int[] ordinals = liveOrdinals(segment, 0);
        if (ordinals.length == 0) {
            return null;
        }
        return buildFresh(segment, ordinals, pool);
    }

    /**
     * Merges segments: the largest input's graph is read back from its file (a private copy), its nodes that died
     * since are deleted, the other inputs' live vectors are inserted. Runs are shared, not copied: the merged segment
     * lists the largest input's runs first, so its ordinals stay valid.
     *
     * @return the merged segment, graph installed
     */
    Segment merge(List<Segment> inputs, long mergedId, ForkJoinPool pool) throws IOException, CorruptStateException {
        Segment base = MergePolicy.base(inputs);
        List<VectorRun> runs = new ArrayList<>(base.runs());
        for (Segment input : inputs) {
            if (input != base) {
                runs.addAll(input.runs());
            }
        }
        Segment merged = new Segment(mergedId, runs, slotBits);
        BuildScoreProvider scores = scorer.forBuilding(merged);
        OnHeapGraphIndex graph = directory.readGraph(base.graph().file, dimension, scores);
        try (GraphIndexBuilder builder = GraphIndexBuilder.builder(scores, dimension, graph).withBeamWidth(ann.beamWidth())
                .withNeighborOverflow(SegmentDirectory.OVERFLOW).withAlpha(SegmentDirectory.ALPHA)
                .withSimdExecutor(pool).withParallelExecutor(pool).build()) {
            for (int position = 0; position < base.runCount(); position++) {
                VectorRun run = merged.run(position);
                for (int slot = 0; slot < run.count(); slot++) {
                    int ordinal = merged.ordinal(position, slot);
                    if (run.dead(slot) && graph.containsNode(ordinal)) {
                        builder.markNodeDeleted(ordinal);
                    }
                }
            }
            insertAll(builder, scores, merged, liveOrdinals(merged, base.runCount()), pool);
            builder.cleanup();
            merged.installGraph(new SegmentGraph(FlatGraph.of(graph, merged.ordinalLimit()),
                    directory.writeGraph(graph, mergedId)));
        }
        return merged;
    }

    /**
     * Copies a segment's live slots into new runs (written to disk) and builds a fresh graph over them; null when no
     * slot is alive.
     */
    Compaction compact(Segment segment, long compactedId, long firstRunId, int runVectors, ForkJoinPool pool)
            throws IOException {
        List<VectorRun> copies = new ArrayList<>();
        List<SlotRef> movedFrom = new ArrayList<>();
        long runId = firstRunId;
        VectorRun copy = null;
        for (VectorRun run : segment.runs()) {
            for (int slot = 0; slot < run.count(); slot++) {
                if (run.dead(slot)) {
                    continue;
                }
                if (copy == null || copy.isFull()) {
                    copy = new VectorRun(runId++, runVectors, dimension, scorer.keepsFloats(), scorer.codeKind());
                    copies.add(copy);
                }
                copy.copyFrom(run, slot);
                movedFrom.add(new SlotRef(run, slot));
            }
        }
        if (copies.isEmpty()) {
            return null;
        }
        for (VectorRun run : copies) {
            run.trim();
            directory.persist(run);
        }
        Segment compacted = new Segment(compactedId, copies, slotBits);
        compacted.installGraph(buildFresh(compacted, liveOrdinals(compacted, 0), pool));
        return new Compaction(compacted, copies, movedFrom);
    }

    private SegmentGraph buildFresh(Segment segment, int[] ordinals, ForkJoinPool pool) throws IOException {
        BuildScoreProvider scores = scorer.forBuilding(segment);
        // JVector's defaults for overflow and alpha; its builder adds the hierarchy (HNSW-like entry points).
        try (GraphIndexBuilder builder = GraphIndexBuilder.builder(scores, dimension, ann.degree())
                .withBeamWidth(ann.beamWidth()).withNeighborOverflow(SegmentDirectory.OVERFLOW)
                .withAlpha(SegmentDirectory.ALPHA).withSimdExecutor(pool).withParallelExecutor(pool).build()) {
            insertAll(builder, scores, segment, ordinals, pool);
            builder.cleanup();
            OnHeapGraphIndex graph = (OnHeapGraphIndex) builder.getGraph();
            return new SegmentGraph(FlatGraph.of(graph, segment.ordinalLimit()), directory.writeGraph(graph, segment.id));
        }
    }

    /** The ordinals of the live slots in runs {@code fromPosition} onwards. */
    private static int[] liveOrdinals(Segment segment, int fromPosition) {
        IntStream.Builder ordinals = IntStream.builder();
        for (int position = fromPosition; position < segment.runCount(); position++) {
            VectorRun run = segment.run(position);
            for (int slot = 0; slot < run.count(); slot++) {
                if (!run.dead(slot)) {
                    ordinals.add(segment.ordinal(position, slot));
                }
            }
        }
        return ordinals.build().toArray();
    }

    private void insertAll(GraphIndexBuilder builder, BuildScoreProvider scores, Segment segment, int[] ordinals,
                           ForkJoinPool pool) {
        for (int from = 0; from < ordinals.length; from += INSERT_CHUNK) {
            if (closed.getAsBoolean()) {
                throw new SegmentedIndex.ClosedException(name);
            }
            int chunkStart = from;
            int chunkEnd = Math.min(ordinals.length, from + INSERT_CHUNK);
            pool.submit(() -> IntStream.range(chunkStart, chunkEnd).parallel()
                    .forEach(i -> scorer.insert(builder, scores, segment, ordinals[i]))).join();
        }
    }
}
