package io.clipstream.encoders;

import io.clipstream.encoders.image.CropWindow;

/**
 * The image tower's spatial features: a {@code rows} x {@code cols} grid of unit vectors in the
 * shared space, row-major (row 0 at the top), covering {@code window} of the source image.
 */
public record PatchGrid(int rows, int cols, int dimension, float[] vectors, CropWindow window) {

    public PatchGrid {
        if (rows <= 0 || cols <= 0 || dimension <= 0 || vectors.length != rows * cols * dimension) {
            throw new IllegalArgumentException("a " + rows + "x" + cols + " grid of " + dimension + "-d vectors needs "
                    + (long) rows * cols * dimension + " floats, got " + vectors.length);
        }
    }

    /** Cosine score of every cell against {@code query} (any length; it is normalised here). */
    public MatchGrid score(float[] query) {
        if (query.length != dimension) {
            throw new IllegalArgumentException("query vector has " + query.length + " dimensions, the grid " + dimension);
        }
        float[] unit = Vectors.l2Normalize(query.clone());
        float[] scores = new float[rows * cols];
        for (int cell = 0; cell < scores.length; cell++) {
            float sum = 0;
            int base = cell * dimension;
            for (int d = 0; d < dimension; d++) {
                sum += vectors[base + d] * unit[d];
            }
            scores[cell] = sum;
        }
        return new MatchGrid(rows, cols, scores, window);
    }
}
