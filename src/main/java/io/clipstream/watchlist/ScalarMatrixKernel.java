package io.clipstream.watchlist;

/**
 * Plain Java: concepts in blocks that stay in the L2 cache while every batch row passes over them, four rows per
 * concept so that each concept component loaded serves four products.
 */
public final class ScalarMatrixKernel implements MatrixKernel {

    /** Concept rows per block: about 128 KiB of concept components, so a block is read from memory once per batch. */
    static int blockRows(int dimension) {
        return Math.max(1, (128 * 1024) / (Float.BYTES * dimension));
    }

    @Override
    public void scan(float[] batch, int rows, float[] concepts, int conceptCount, int d, float[] thresholds, MatchSink sink) {
        int block = blockRows(d);
        for (int c0 = 0; c0 < conceptCount; c0 += block) {
            int c1 = Math.min(conceptCount, c0 + block);
            int r = 0;
            for (; r + 4 <= rows; r += 4) {
                int o0 = r * d;
                int o1 = o0 + d;
                int o2 = o1 + d;
                int o3 = o2 + d;
                for (int c = c0; c < c1; c++) {
                    int oc = c * d;
                    float s0 = 0;
                    float s1 = 0;
                    float s2 = 0;
                    float s3 = 0;
                    for (int k = 0; k < d; k++) {
                        float w = concepts[oc + k];
                        s0 += batch[o0 + k] * w;
                        s1 += batch[o1 + k] * w;
                        s2 += batch[o2 + k] * w;
                        s3 += batch[o3 + k] * w;
                    }
                    report(sink, r, c, thresholds[c], s0, s1, s2, s3);
                }
            }
            for (; r < rows; r++) {
                int o = r * d;
                for (int c = c0; c < c1; c++) {
                    int oc = c * d;
                    float s = 0;
                    for (int k = 0; k < d; k++) {
                        s += batch[o + k] * concepts[oc + k];
                    }
                    if (s >= thresholds[c]) {
                        sink.match(r, c, s);
                    }
                }
            }
        }
    }

    /** Reports the scores of four consecutive batch rows against one concept that reach its threshold. */
    static void report(MatchSink sink, int row, int concept, float threshold, float s0, float s1, float s2, float s3) {
        if (s0 >= threshold) {
            sink.match(row, concept, s0);
        }
        if (s1 >= threshold) {
            sink.match(row + 1, concept, s1);
        }
        if (s2 >= threshold) {
            sink.match(row + 2, concept, s2);
        }
        if (s3 >= threshold) {
            sink.match(row + 3, concept, s3);
        }
    }
}
