package io.clipstream.encoders;

import io.clipstream.encoders.image.CropWindow;

/**
 * How well each cell of an image's spatial grid matches a query: cosine scores, row-major (row 0 at
 * the top), over {@code window} of the source image.
 */
public record MatchGrid(int rows, int cols, float[] scores, CropWindow window) {

    public MatchGrid {
        if (rows <= 0 || cols <= 0 || scores.length != rows * cols) {
            throw new IllegalArgumentException("a " + rows + "x" + cols + " grid needs " + rows * cols + " scores, got "
                    + scores.length);
        }
        scores = scores.clone();
    }

    public float score(int row, int col) {
        return scores[row * cols + col];
    }

    public float min() {
        float min = Float.POSITIVE_INFINITY;
        for (float s : scores) {
            min = Math.min(min, s);
        }
        return min;
    }

    public float max() {
        float max = Float.NEGATIVE_INFINITY;
        for (float s : scores) {
            max = Math.max(max, s);
        }
        return max;
    }

    @Override
    public float[] scores() {
        return scores.clone();
    }
}
