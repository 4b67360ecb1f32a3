package io.clipstream.store;

import io.github.jbellis.jvector.graph.similarity.BuildScoreProvider;
import io.github.jbellis.jvector.graph.similarity.DefaultSearchScoreProvider;
import io.github.jbellis.jvector.graph.similarity.ScoreFunction;
import io.github.jbellis.jvector.graph.similarity.SearchScoreProvider;
import io.github.jbellis.jvector.vector.VectorizationProvider;
import io.github.jbellis.jvector.vector.types.VectorFloat;
import io.github.jbellis.jvector.vector.types.VectorTypeSupport;

/**
 * JVector scores over {@link QuantizedVectors}: the graph is built and walked on int8 or float16 codes alone. Scores
 * are JVector's dot-product similarity {@code (1 + dot) / 2}. They are reported as exact so that JVector does not
 * re-rank by itself: {@link GraphVectorIndex} re-ranks the candidates with full-precision vectors from RocksDB.
 */
final class QuantizedScores implements BuildScoreProvider {

    private static final VectorTypeSupport VTS = VectorizationProvider.getInstance().getVectorTypeSupport();

    private final QuantizedVectors codes;
    private final int dimension;
    /** Sum of every vector added, for JVector's approximate centroid (entry-point choice). */
    private final double[] sum;
    private long added;

    QuantizedScores(QuantizedVectors codes, int dimension) {
        this.codes = codes;
        this.dimension = dimension;
        this.sum = new double[dimension];
    }

    /** Counts a new vector into the centroid. Called from the index's writing thread only. */
    void added(float[] vector) {
        for (int i = 0; i < dimension; i++) {
            sum[i] += vector[i];
        }
        added++;
    }

    /** The score function of a float32 query against the codes. */
    ScoreFunction.ExactScoreFunction scoresFor(float[] query) {
        return node -> (1f + codes.dot(query, node)) / 2f;
    }

    @Override
    public boolean isExact() {
        return true;
    }

    @Override
    public VectorFloat<?> approximateCentroid() {
        float[] centroid = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            centroid[i] = added == 0 ? 0f : (float) (sum[i] / added);
        }
        return VTS.createFloatVector(centroid);
    }

    @Override
    public SearchScoreProvider searchProviderFor(VectorFloat<?> vector) {
        float[] query = new float[vector.length()];
        for (int i = 0; i < query.length; i++) {
            query[i] = vector.get(i);
        }
        return new DefaultSearchScoreProvider(scoresFor(query));
    }

    @Override
    public SearchScoreProvider searchProviderFor(int node) {
        return new DefaultSearchScoreProvider(scoresFor(codes.decode(node)));
    }

    @Override
    public SearchScoreProvider diversityProviderFor(int node) {
        return searchProviderFor(node);
    }
}
