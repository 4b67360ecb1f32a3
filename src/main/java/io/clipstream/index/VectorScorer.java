package io.clipstream.index;

import io.github.jbellis.jvector.graph.GraphIndexBuilder;
import io.github.jbellis.jvector.graph.RandomAccessVectorValues;
import io.github.jbellis.jvector.graph.similarity.BuildScoreProvider;
import io.github.jbellis.jvector.graph.similarity.DefaultSearchScoreProvider;
import io.github.jbellis.jvector.vector.VectorSimilarityFunction;
import io.github.jbellis.jvector.vector.VectorizationProvider;
import io.github.jbellis.jvector.vector.types.VectorFloat;
import io.github.jbellis.jvector.vector.types.VectorTypeSupport;

/**
 * How one compression scores vectors: what a segment's graph is built with, what a walk ranks by, and the
 * full-precision score every returned hit carries. One implementation per family:
 * <ul>
 *   <li>{@link Float32} ({@code none}): float32 builds, walks and scores;</li>
 *   <li>{@link Codes} ({@code int8_float32}, {@code int8}, {@code fp16}): codes build and walk; the walk's best
 *       {@code k * overquery} candidates are re-ranked at full precision, from the float32 copy in memory
 *       ({@code int8_float32}) or from the store ({@code int8}, {@code fp16});</li>
 *   <li>{@link Binary} ({@code binary}): float32 builds, one bit per component steers the walk, float32 re-ranks.</li>
 * </ul>
 * Every full-precision score is {@link VectorMath#dot} of the float32 vectors, so scores, the min-score floor and the
 * order of ties are the same whichever path found a hit.
 */
abstract sealed class VectorScorer {

    static final VectorTypeSupport VTS = VectorizationProvider.getInstance().getVectorTypeSupport();
    static final VectorSimilarityFunction DOT = VectorSimilarityFunction.DOT_PRODUCT;
    /** Ranks float32 walks; returned scores are {@link VectorMath#dot}'s all the same. */
    private static final QuantizedDot WALK_DOT = QuantizedDots.BEST;

    static VectorScorer of(AnnSettings.Compression compression, FullPrecisionSource source) {
        return switch (compression) {
            case NONE -> new Float32();
            case BINARY -> new Binary();
            case INT8_FLOAT32 -> new Codes(RunCodes.Kind.INT8, null);
            case INT8 -> new Codes(RunCodes.Kind.INT8, requireSource(compression, source));
            case FP16 -> new Codes(RunCodes.Kind.FP16, requireSource(compression, source));
        };
    }

    private static FullPrecisionSource requireSource(AnnSettings.Compression compression, FullPrecisionSource source) {
        if (source == null || source == FullPrecisionSource.NONE) {
            throw new IllegalArgumentException("compression " + compression + " keeps no float32 copy in memory and "
                    + "needs a full-precision source (the store's RocksDB) to re-rank");
        }
        return source;
    }

    /** Whether runs keep a float32 copy of each vector. */
    abstract boolean keepsFloats();

    /** The codes runs keep, or null. */
    abstract RunCodes.Kind codeKind();

    /** The scores JVector builds (and, in a merge, extends) the segment's graph with. */
    abstract BuildScoreProvider forBuilding(Segment segment);

    /** Inserts one live slot of the segment into a graph under construction. */
    abstract void insert(GraphIndexBuilder builder, BuildScoreProvider scores, Segment segment, int ordinal);

    /** What a walk over the segment's graph ranks nodes by. */
    abstract FlatGraphSearch.NodeScores forWalking(float[] query, Segment segment);

    /** Whether walk scores are approximate, so that a walk returns more candidates than k for re-ranking. */
    abstract boolean walksApproximately();

    /** The full-precision score of a slot, or NaN when its vector can no longer be read (deleted from the store). */
    abstract float score(float[] query, VectorRun run, int slot);

    /**
     * Whether a walk re-ranks its whole beam rather than {@code k * overquery} candidates: binary codes rank too
     * coarsely for the short list to hold the neighbours.
     */
    boolean reRanksWholeBeam() {
        return false;
    }

    /**
     * Whether a sealed segment still waiting for its graph is scanned by its codes, with a full-precision re-rank of
     * the best {@code k * overquery}: for int8 and fp16 codes, fine enough that the re-rank restores the exact top k
     * but for rare near-ties; not binary codes, too coarse for so short a list.
     */
    boolean scansAwaitingByCodes() {
        return false;
    }

    /** Whether {@link #score} reads the store (and is therefore the costly part of an exact scan). */
    boolean readsStore() {
        return false;
    }

    /** Float32 vectors by segment ordinal, as JVector reads them. */
    static final class SegmentFloats implements RandomAccessVectorValues {
        private final Segment segment;
        private final int dimension;

        SegmentFloats(Segment segment) {
            this.segment = segment;
            this.dimension = segment.run(0).dimension;
        }

        @Override
        public int size() {
            return segment.ordinalLimit();
        }

        @Override
        public int dimension() {
            return dimension;
        }

        @Override
        public VectorFloat<?> getVector(int ordinal) {
            // JVector's array-backed vector wraps the array: no copy.
            return VTS.createFloatVector(segment.runOf(ordinal).floats(segment.slotOf(ordinal)));
        }

        @Override
        public boolean isValueShared() {
            return false;
        }

        @Override
        public RandomAccessVectorValues copy() {
            return this;
        }
    }

    static sealed class Float32 extends VectorScorer permits Binary {
        @Override
        boolean keepsFloats() {
            return true;
        }

        @Override
        RunCodes.Kind codeKind() {
            return null;
        }

        @Override
        BuildScoreProvider forBuilding(Segment segment) {
            return BuildScoreProvider.randomAccessScoreProvider(new SegmentFloats(segment), DOT);
        }

        @Override
        void insert(GraphIndexBuilder builder, BuildScoreProvider scores, Segment segment, int ordinal) {
            builder.addGraphNode(ordinal, VTS.createFloatVector(segment.runOf(ordinal).floats(segment.slotOf(ordinal))));
        }

        @Override
        FlatGraphSearch.NodeScores forWalking(float[] query, Segment segment) {
            return ordinal -> WALK_DOT.float32(query, segment.runOf(ordinal).floats(segment.slotOf(ordinal)));
        }

        @Override
        boolean walksApproximately() {
            return false;
        }

        @Override
        float score(float[] query, VectorRun run, int slot) {
            return VectorMath.dot(query, run.floats(slot), 0, query.length);
        }
    }

    /** Walks on binary codes; builds, keeps and re-ranks float32 exactly as {@link Float32} does. */
    static final class Binary extends Float32 {
        @Override
        RunCodes.Kind codeKind() {
            return RunCodes.Kind.BINARY;
        }

        @Override
        FlatGraphSearch.NodeScores forWalking(float[] query, Segment segment) {
            return segment.codes().walkScores(query);
        }

        @Override
        boolean walksApproximately() {
            return true;
        }

        @Override
        boolean reRanksWholeBeam() {
            return true;
        }
    }

    static final class Codes extends VectorScorer {
        private final RunCodes.Kind kind;
        /** Where float32 comes from when runs keep none; null when they keep it. */
        private final FullPrecisionSource source;

        Codes(RunCodes.Kind kind, FullPrecisionSource source) {
            this.kind = kind;
            this.source = source;
        }

        @Override
        boolean keepsFloats() {
            return source == null;
        }

        @Override
        RunCodes.Kind codeKind() {
            return kind;
        }

        @Override
        BuildScoreProvider forBuilding(Segment segment) {
            return new CodeBuildScores(segment);
        }

        @Override
        void insert(GraphIndexBuilder builder, BuildScoreProvider scores, Segment segment, int ordinal) {
            float[] full = segment.runOf(ordinal).floats(segment.slotOf(ordinal));
            // With a float32 copy at hand the new node's neighbours are found from its exact vector, not its codes.
            builder.addGraphNode(ordinal, full == null ? scores.searchProviderFor(ordinal)
                    : new DefaultSearchScoreProvider(segment.codes().scoresFor(full)));
        }

        @Override
        FlatGraphSearch.NodeScores forWalking(float[] query, Segment segment) {
            return segment.codes().walkScores(query);
        }

        @Override
        boolean walksApproximately() {
            return true;
        }

        @Override
        float score(float[] query, VectorRun run, int slot) {
            float[] full = source == null ? run.floats(slot) : source.vector(run.id(slot));
            return full == null ? Float.NaN : VectorMath.dot(query, full, 0, query.length);
        }

        @Override
        boolean readsStore() {
            return source != null;
        }

        @Override
        boolean scansAwaitingByCodes() {
            return true;
        }
    }
}
