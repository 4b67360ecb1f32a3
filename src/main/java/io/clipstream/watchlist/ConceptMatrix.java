package io.clipstream.watchlist;

import java.util.List;

/**
 * Concepts as one row-major [C, d] matrix, so that a batch of B image vectors is scored against all of them in one
 * matrix product ([B, d] x [C, d]^T) instead of one search per concept. Immutable.
 */
public final class ConceptMatrix {

    private final List<WatchedConcept> concepts;
    private final int dimension;
    private final float[] rows;
    private final float[] thresholds;
    private final MatrixKernel kernel;

    private ConceptMatrix(List<WatchedConcept> concepts, int dimension, MatrixKernel kernel) {
        this.concepts = List.copyOf(concepts);
        this.dimension = dimension;
        this.kernel = kernel;
        this.rows = new float[concepts.size() * dimension];
        this.thresholds = new float[concepts.size()];
        for (int c = 0; c < concepts.size(); c++) {
            WatchedConcept concept = concepts.get(c);
            if (concept.vector().length != dimension) {
                throw new IllegalArgumentException("concept '" + concept.id() + "' has dimension " + concept.vector().length
                        + " but the matrix holds dimension " + dimension);
            }
            System.arraycopy(concept.vector(), 0, rows, c * dimension, dimension);
            thresholds[c] = concept.threshold();
        }
    }

    public static ConceptMatrix of(List<WatchedConcept> concepts, int dimension) {
        return new ConceptMatrix(concepts, dimension, MatrixKernel.best());
    }

    /** With a given kernel, for benchmarks and tests that compare kernels. */
    public static ConceptMatrix of(List<WatchedConcept> concepts, int dimension, MatrixKernel kernel) {
        return new ConceptMatrix(concepts, dimension, kernel);
    }

    public static ConceptMatrix empty(int dimension) {
        return new ConceptMatrix(List.of(), dimension, MatrixKernel.best());
    }

    public int size() {
        return concepts.size();
    }

    public int dimension() {
        return dimension;
    }

    public WatchedConcept concept(int index) {
        return concepts.get(index);
    }

    /**
     * Reports every (row, concept) whose score reaches the concept's threshold; tenant restrictions are the caller's
     * to apply (see {@link WatchedConcept#appliesTo}).
     *
     * @param batch row-major [rows, dimension] image vectors
     */
    public void matches(float[] batch, int rows, MatchSink sink) {
        if (batch.length < rows * dimension) {
            throw new IllegalArgumentException("batch holds " + batch.length + " floats, fewer than " + rows + " rows of "
                    + dimension);
        }
        if (concepts.isEmpty() || rows == 0) {
            return;
        }
        kernel.scan(batch, rows, this.rows, concepts.size(), dimension, thresholds, sink);
    }

    /** The vectors as one row-major array, ready for {@link #matches}. */
    public static float[] flatten(List<float[]> vectors, int dimension) {
        float[] flat = new float[vectors.size() * dimension];
        for (int i = 0; i < vectors.size(); i++) {
            float[] vector = vectors.get(i);
            if (vector.length != dimension) {
                throw new IllegalArgumentException("vector " + i + " has dimension " + vector.length + ", not " + dimension);
            }
            System.arraycopy(vector, 0, flat, i * dimension, dimension);
        }
        return flat;
    }
}
