package io.clipstream.encoders.image;

import java.awt.image.BufferedImage;

/**
 * Pillow's {@code Image.resize(size, Image.BICUBIC)} for 8-bit RGB, ported from
 * {@code src/libImaging/Resample.c} (Pillow, Copyright Jeffrey A. Clark and contributors,
 * Secret Labs AB, Fredrik Lundh; MIT-CMU licence) so that the pixels are the ones the model saw:
 * the same antialiasing (the filter support grows with the downscale factor), the same
 * coefficient windows, the same 22-bit fixed-point weights with their +-0.5 rounding, the same
 * order of passes (horizontal, then vertical) and the same rounding and clipping of each pass.
 *
 * <p>Each output pixel depends only on its own coefficient window, so {@link #resizeRegion}
 * computes just a window of the resized image (the centre crop) and only the source rows that
 * window's vertical filter touches; the result is identical to resizing everything and cropping.
 * Stateless and thread-safe.
 */
public final class PilBicubicResampler {

    /** 8 bits for the result, 2 for overflow of the signed accumulator (Resample.c). */
    private static final int PRECISION_BITS = 32 - 8 - 2;
    private static final double SUPPORT = 2.0;

    private PilBicubicResampler() {
    }

    /** The whole image resized to {@code dstW x dstH}. */
    public static BufferedImage resize(BufferedImage rgb, int dstW, int dstH) {
        RgbPixels src = RgbPixels.of(rgb);
        int[] out = resizeRegion(src.data, src.width, src.height, dstW, dstH, 0, 0, dstW, dstH);
        return new RgbPixels(dstW, dstH, out).toImage();
    }

    /**
     * The window {@code [left, left + outW) x [top, top + outH)} of {@code src} resized to
     * {@code dstW x dstH}, as packed 0xRRGGBB ints. Window pixels outside the resized image are 0
     * (black), which is what Pillow's crop and Hugging Face's centre-crop padding give.
     */
    public static int[] resizeRegion(int[] src, int srcW, int srcH, int dstW, int dstH,
                                     int left, int top, int outW, int outH) {
        if (srcW <= 0 || srcH <= 0 || dstW <= 0 || dstH <= 0 || outW <= 0 || outH <= 0) {
            throw new IllegalArgumentException("sizes must be positive: source " + srcW + "x" + srcH
                    + ", target " + dstW + "x" + dstH + ", window " + outW + "x" + outH);
        }
        if (src.length != srcW * srcH) {
            throw new IllegalArgumentException("source has " + src.length + " pixels, expected " + srcW + "x" + srcH);
        }
        int[] out = new int[Math.multiplyExact(outW, outH)];
        int x0 = clamp(left, 0, dstW);
        int x1 = clamp(left + outW, 0, dstW);
        int y0 = clamp(top, 0, dstH);
        int y1 = clamp(top + outH, 0, dstH);
        if (x0 >= x1 || y0 >= y1) {
            return out;
        }
        // Pillow skips a pass whose dimension is unchanged (box is the whole image here).
        boolean needHorizontal = dstW != srcW;
        boolean needVertical = dstH != srcH;

        Coefficients vertical = needVertical ? Coefficients.bicubic(srcH, dstH, y0, y1) : null;
        int firstRow = needVertical ? vertical.first() : y0;
        int lastRow = needVertical ? vertical.last() : y1;
        int width = x1 - x0;
        int rows = lastRow - firstRow;

        int[] temp = new int[Math.multiplyExact(width, rows)];
        if (needHorizontal) {
            horizontal(src, srcW, firstRow, rows, Coefficients.bicubic(srcW, dstW, x0, x1), temp);
        } else {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(src, (firstRow + r) * srcW + x0, temp, r * width, width);
            }
        }

        int outX = x0 - left;
        int outY = y0 - top;
        if (needVertical) {
            vertical(temp, width, firstRow, vertical, out, outW, outX, outY);
        } else {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(temp, r * width, out, (outY + r) * outW + outX, width);
            }
        }
        return out;
    }

    /** ImagingResampleHorizontal_8bpc over source rows [firstRow, firstRow + rows), 3 bands. */
    private static void horizontal(int[] src, int srcW, int firstRow, int rows, Coefficients c, int[] temp) {
        int width = c.count();
        int ksize = c.ksize;
        int[] k = c.weights;
        int[] bounds = c.bounds;
        for (int yy = 0; yy < rows; yy++) {
            int rowStart = (firstRow + yy) * srcW;
            int o = yy * width;
            for (int xx = 0; xx < width; xx++) {
                int xmin = bounds[2 * xx];
                int xmax = bounds[2 * xx + 1];
                int kOffset = xx * ksize;
                int ss0 = 1 << (PRECISION_BITS - 1);
                int ss1 = ss0;
                int ss2 = ss0;
                int p = rowStart + xmin;
                for (int x = 0; x < xmax; x++) {
                    int pixel = src[p + x];
                    int weight = k[kOffset + x];
                    ss0 += ((pixel >> 16) & 0xFF) * weight;
                    ss1 += ((pixel >> 8) & 0xFF) * weight;
                    ss2 += (pixel & 0xFF) * weight;
                }
                temp[o + xx] = (clip8(ss0) << 16) | (clip8(ss1) << 8) | clip8(ss2);
            }
        }
    }

    /**
     * ImagingResampleVertical_8bpc. {@code temp} holds source rows from {@code firstRow}, so the
     * window bounds are shifted by it (Pillow's "shift bounds for vertical pass").
     */
    private static void vertical(int[] temp, int width, int firstRow, Coefficients c,
                                 int[] out, int outW, int outX, int outY) {
        int ksize = c.ksize;
        int[] k = c.weights;
        int[] bounds = c.bounds;
        for (int yy = 0; yy < c.count(); yy++) {
            int ymin = bounds[2 * yy] - firstRow;
            int ymax = bounds[2 * yy + 1];
            int kOffset = yy * ksize;
            int o = (outY + yy) * outW + outX;
            for (int xx = 0; xx < width; xx++) {
                int ss0 = 1 << (PRECISION_BITS - 1);
                int ss1 = ss0;
                int ss2 = ss0;
                int p = ymin * width + xx;
                for (int y = 0; y < ymax; y++, p += width) {
                    int pixel = temp[p];
                    int weight = k[kOffset + y];
                    ss0 += ((pixel >> 16) & 0xFF) * weight;
                    ss1 += ((pixel >> 8) & 0xFF) * weight;
                    ss2 += (pixel & 0xFF) * weight;
                }
                out[o + xx] = (clip8(ss0) << 16) | (clip8(ss1) << 8) | clip8(ss2);
            }
        }
    }

    /** clip8: drop the fraction bits, then clamp (Pillow's lookup table covers -640..639). */
    private static int clip8(int accumulator) {
        int v = accumulator >> PRECISION_BITS;
        return v < 0 ? 0 : Math.min(v, 255);
    }

    private static int clamp(int v, int lo, int hi) {
        return v < lo ? lo : Math.min(v, hi);
    }

    /** Pillow's bicubic_filter with a = -0.5, written in the same operation order. */
    static double bicubicFilter(double x) {
        final double a = -0.5;
        if (x < 0.0) {
            x = -x;
        }
        if (x < 1.0) {
            return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        }
        if (x < 2.0) {
            return (((x - 5) * x + 8) * x - 4) * a;
        }
        return 0.0;
    }

    /**
     * precompute_coeffs + normalize_coeffs_8bpc for the outputs [from, to) of one axis.
     * {@code bounds} holds (xmin, count) pairs and {@code weights} ksize fixed-point weights per
     * output, both indexed from {@code from}.
     */
    record Coefficients(int from, int ksize, int[] bounds, int[] weights) {

        static Coefficients bicubic(int inSize, int outSize, int from, int to) {
            // box = (0, inSize): in0 = 0, in1 = inSize, as floats in Pillow
            float in0 = 0f;
            float in1 = inSize;
            double scale = (double) (in1 - in0) / outSize;
            double filterscale = scale < 1.0 ? 1.0 : scale;
            double support = SUPPORT * filterscale;
            int ksize = (int) Math.ceil(support) * 2 + 1;
            int count = to - from;
            int[] bounds = new int[2 * count];
            int[] weights = new int[Math.multiplyExact(count, ksize)];
            double[] k = new double[ksize];
            double ss = 1.0 / filterscale;
            for (int i = 0; i < count; i++) {
                int xx = from + i;
                double center = in0 + (xx + 0.5) * scale;
                double ww = 0.0;
                int xmin = (int) (center - support + 0.5);
                if (xmin < 0) {
                    xmin = 0;
                }
                int xmax = (int) (center + support + 0.5);
                if (xmax > inSize) {
                    xmax = inSize;
                }
                xmax -= xmin;
                for (int x = 0; x < xmax; x++) {
                    double w = bicubicFilter((x + xmin - center + 0.5) * ss);
                    k[x] = w;
                    ww += w;
                }
                for (int x = 0; x < xmax; x++) {
                    if (ww != 0.0) {
                        k[x] /= ww;
                    }
                }
                for (int x = xmax; x < ksize; x++) {
                    k[x] = 0;
                }
                for (int x = 0; x < ksize; x++) {
                    double v = k[x] * (1 << PRECISION_BITS);
                    weights[i * ksize + x] = k[x] < 0 ? (int) (-0.5 + v) : (int) (0.5 + v);
                }
                bounds[2 * i] = xmin;
                bounds[2 * i + 1] = xmax;
            }
            return new Coefficients(from, ksize, bounds, weights);
        }

        int count() {
            return bounds.length / 2;
        }

        /** First source index any of these outputs reads. */
        int first() {
            return bounds[0];
        }

        /** One past the last source index any of these outputs reads (windows only move forward). */
        int last() {
            int n = count();
            return bounds[2 * (n - 1)] + bounds[2 * (n - 1) + 1];
        }
    }
}
