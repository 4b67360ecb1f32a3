package io.clipstream.index;

import io.github.jbellis.jvector.graph.similarity.BuildScoreProvider;
import io.github.jbellis.jvector.graph.similarity.DefaultSearchScoreProvider;
import io.github.jbellis.jvector.graph.similarity.SearchScoreProvider;
import io.github.jbellis.jvector.vector.VectorizationProvider;
import io.github.jbellis.jvector.vector.types.VectorFloat;
import io.github.jbellis.jvector.vector.types.VectorTypeSupport;

/**
 * JVector build scores over a segment's codes alone: a node is scored against the others through its decoded codes.
 * They are reported as exact so that JVector does not re-rank by itself; searches re-rank at full precision.
 */
final class CodeBuildScores implements BuildScoreProvider {

    private static final VectorTypeSupport VTS = VectorizationProvider.getInstance().getVectorTypeSupport();

    private final Segment segment;
    private final CodeTable codes;
    /** Computed on first use: only a build asks for it, not a graph loaded to be searched. */
    private volatile VectorFloat<?> centroid;

    CodeBuildScores(Segment segment) {
        this.segment = segment;
        this.codes = segment.codes();
    }

    /** The mean of the segment's live vectors: JVector's starting point when it picks an entry node. */
    private static float[] centroidOf(Segment segment) {
        int dimension = segment.run(0).dimension;
        double[] sum = new double[dimension];
        long counted = 0;
        for (int position = 0; position < segment.runCount(); position++) {
            VectorRun run = segment.run(position);
            for (int slot = 0; slot < run.count(); slot++) {
                if (run.dead(slot)) {
                    continue;
                }
                float[] vector = run.keepsFloats() ? run.floats(slot) : segment.codes().decode(segment.ordinal(position, slot));
                for (int i = 0; i < dimension; i++) {
                    sum[i] += vector[i];
                }
                counted++;
            }
        }
        float[] centroid = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            centroid[i] = counted == 0 ? 0f : (float) (sum[i] / counted);
        }
        return centroid;
    }

    @Override
    public boolean isExact() {
        return true;
    }

    @Override
    public VectorFloat<?> approximateCentroid() {
        VectorFloat<?> known = centroid;
        if (known == null) {
            known = VTS.createFloatVector(centroidOf(segment));
            centroid = known;
        }
        return known;
    }

    @Override
    public SearchScoreProvider searchProviderFor(VectorFloat<?> vector) {
        float[] query = new float[vector.length()];
        for (int i = 0; i < query.length; i++) {
            query[i] = vector.get(i);
        }
        return new DefaultSearchScoreProvider(codes.scoresFor(query));
    }

    @Override
    public SearchScoreProvider searchProviderFor(int node) {
        // JVector asks for this per candidate while it prunes neighbour lists: where runs keep float32, the node's own
        // vector serves without decoding (and allocating) a copy of its codes.
        float[] kept = segment.runOf(node).floats(segment.slotOf(node));
        return new DefaultSearchScoreProvider(codes.scoresFor(kept != null ? kept : codes.decode(node)));
    }

    @Override
    public SearchScoreProvider diversityProviderFor(int node) {
        return searchProviderFor(node);
    }
}
