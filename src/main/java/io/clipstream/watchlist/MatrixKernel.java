package io.clipstream.watchlist;

/**
 * The product of a batch of vectors with a concept matrix, thresholded: for every row r of {@code batch} and
 * concept c of {@code concepts}, {@code dot(batch[r], concepts[c]) >= thresholds[c]} is reported to the sink.
 * Both matrices are row-major flat arrays with rows of {@code dimension} floats.
 */
public interface MatrixKernel {

    void scan(float[] batch, int rows, float[] concepts, int conceptCount, int dimension, float[] thresholds, MatchSink sink);

    /** The fastest kernel this JVM can run: SIMD through jdk.incubator.vector when the module is loaded, else scalar. */
    static MatrixKernel best() {
        return MatrixKernels.BEST;
    }
}
