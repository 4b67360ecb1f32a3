package io.clipstream.explain;

import io.clipstream.encoders.MatchGrid;
import io.clipstream.encoders.image.CropWindow;

/**
 * A match grid spread over an image's pixels: bilinear interpolation between cell centres (clamped
 * at the grid's edges, as align_corners=false upsampling does), then normalised within the image,
 * {@code (score - min) / (max - min)} over the grid's cells, so 1 is the image's best-matching cell
 * and 0 its worst. Relative on purpose: absolute cosine scores of small towers sit in a narrow band
 * that differs from query to query, so a fixed scale would show almost nothing. The price is that
 * every map has a hot spot, even for a query that matches nothing; a grid whose cells all score the
 * same (within {@link #FLAT}) maps to 0 everywhere. Pixels outside the window the grid covers (the
 * model's centre crop) are {@link Float#NaN}: the model did not see them.
 */
public final class HeatMap {

    /** Below this spread of scores a grid is treated as flat. */
    static final float FLAT = 1e-6f;

    private final int width;
    private final int height;
    private final float[] intensity;

    private HeatMap(int width, int height, float[] intensity) {
        this.width = width;
        this.height = height;
        this.intensity = intensity;
    }

    /** The grid over a {@code width} x {@code height} image; the grid's window is in that image's pixels. */
    public static HeatMap of(MatchGrid grid, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("a heat map needs a positive size, got " + width + "x" + height);
        }
        float min = grid.min();
        float spread = grid.max() - min;
        float[] cells = grid.scores();
        for (int i = 0; i < cells.length; i++) {
            cells[i] = spread < FLAT ? 0f : (cells[i] - min) / spread;
        }
        CropWindow window = grid.window();
        int rows = grid.rows();
        int cols = grid.cols();
        float[] out = new float[width * height];
        for (int y = 0; y < height; y++) {
            double fy = (y + 0.5 - window.y()) / window.height();
            for (int x = 0; x < width; x++) {
                double fx = (x + 0.5 - window.x()) / window.width();
                if (fx < 0 || fx >= 1 || fy < 0 || fy >= 1) {
                    out[y * width + x] = Float.NaN;
                    continue;
                }
                out[y * width + x] = bilinear(cells, rows, cols, fy * rows - 0.5, fx * cols - 0.5);
            }
        }
        return new HeatMap(width, height, out);
    }

    /** Interpolates at grid coordinates (row, col), cell centres at integers, clamped to the grid. */
    static float bilinear(float[] cells, int rows, int cols, double row, double col) {
        double r = Math.max(0, Math.min(rows - 1, row));
        double c = Math.max(0, Math.min(cols - 1, col));
        int r0 = (int) Math.floor(r);
        int c0 = (int) Math.floor(c);
        int r1 = Math.min(rows - 1, r0 + 1);
        int c1 = Math.min(cols - 1, c0 + 1);
        double dr = r - r0;
        double dc = c - c0;
        double top = cells[r0 * cols + c0] * (1 - dc) + cells[r0 * cols + c1] * dc;
        double bottom = cells[r1 * cols + c0] * (1 - dc) + cells[r1 * cols + c1] * dc;
        return (float) (top * (1 - dr) + bottom * dr);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** In [0, 1], or NaN outside the model's crop. */
    public float intensity(int x, int y) {
        return intensity[y * width + x];
    }

    /**
     * The heat in columns {@code [fromX, toX)}: the sum of intensities over those pixels (NaN ones
     * count 0). With the normalisation above this is the mass of {@code score - min}, scaled by the
     * image's spread, so comparing two regions' mass compares how much of the above-minimum match
     * lies in each.
     */
    public double mass(int fromX, int toX) {
        double sum = 0;
        for (int y = 0; y < height; y++) {
            for (int x = Math.max(0, fromX); x < Math.min(width, toX); x++) {
                float v = intensity[y * width + x];
                if (!Float.isNaN(v)) {
                    sum += v;
                }
            }
        }
        return sum;
    }
}
