package io.clipstream.watchlist;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The concept-matrix product with the JDK's vector API: the same blocking as {@link ScalarMatrixKernel} (concept
 * blocks that stay in L2), two concept rows by four batch rows at a time, with fused multiply-adds over the widest
 * lanes the CPU has. Only {@link MatrixKernels} loads it, and only when jdk.incubator.vector is on the module graph.
 */
public final class SimdMatrixKernel implements MatrixKernel {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    @Override
    public void scan(float[] batch, int rows, float[] concepts, int conceptCount, int d, float[] thresholds, MatchSink sink) {
        int block = ScalarMatrixKernel.blockRows(d);
        int bound = SPECIES.loopBound(d);
        int lanes = SPECIES.length();
        for (int c0 = 0; c0 < conceptCount; c0 += block) {
            int c1 = Math.min(conceptCount, c0 + block);
            int r = 0;
            for (; r + 4 <= rows; r += 4) {
                int o0 = r * d;
                int o1 = o0 + d;
                int o2 = o1 + d;
                int o3 = o2 + d;
                int c = c0;
                for (; c + 2 <= c1; c += 2) {
                    // Two concept rows by four image rows: six loads feed eight fused multiply-adds.
                    int oc = c * d;
                    int od = oc + d;
                    FloatVector a0 = FloatVector.zero(SPECIES);
                    FloatVector a1 = a0;
                    FloatVector a2 = a0;
                    FloatVector a3 = a0;
                    FloatVector b0 = a0;
                    FloatVector b1 = a0;
                    FloatVector b2 = a0;
                    FloatVector b3 = a0;
                    int k = 0;
                    for (; k < bound; k += lanes) {
                        FloatVector w = FloatVector.fromArray(SPECIES, concepts, oc + k);
                        FloatVector v = FloatVector.fromArray(SPECIES, concepts, od + k);
                        FloatVector x0 = FloatVector.fromArray(SPECIES, batch, o0 + k);
                        FloatVector x1 = FloatVector.fromArray(SPECIES, batch, o1 + k);
                        FloatVector x2 = FloatVector.fromArray(SPECIES, batch, o2 + k);
                        FloatVector x3 = FloatVector.fromArray(SPECIES, batch, o3 + k);
                        a0 = x0.fma(w, a0);
                        a1 = x1.fma(w, a1);
                        a2 = x2.fma(w, a2);
                        a3 = x3.fma(w, a3);
                        b0 = x0.fma(v, b0);
                        b1 = x1.fma(v, b1);
                        b2 = x2.fma(v, b2);
                        b3 = x3.fma(v, b3);
                    }
                    float s0 = a0.reduceLanes(VectorOperators.ADD);
                    float s1 = a1.reduceLanes(VectorOperators.ADD);
                    float s2 = a2.reduceLanes(VectorOperators.ADD);
                    float s3 = a3.reduceLanes(VectorOperators.ADD);
                    float t0 = b0.reduceLanes(VectorOperators.ADD);
                    float t1 = b1.reduceLanes(VectorOperators.ADD);
                    float t2 = b2.reduceLanes(VectorOperators.ADD);
                    float t3 = b3.reduceLanes(VectorOperators.ADD);
                    for (; k < d; k++) {
                        float w = concepts[oc + k];
                        float v = concepts[od + k];
                        s0 += batch[o0 + k] * w;
                        s1 += batch[o1 + k] * w;
                        s2 += batch[o2 + k] * w;
                        s3 += batch[o3 + k] * w;
                        t0 += batch[o0 + k] * v;
                        t1 += batch[o1 + k] * v;
                        t2 += batch[o2 + k] * v;
                        t3 += batch[o3 + k] * v;
                    }
                    ScalarMatrixKernel.report(sink, r, c, thresholds[c], s0, s1, s2, s3);
                    ScalarMatrixKernel.report(sink, r, c + 1, thresholds[c + 1], t0, t1, t2, t3);
                }
                for (; c < c1; c++) {
                    int oc = c * d;
                    FloatVector a0 = FloatVector.zero(SPECIES);
                    FloatVector a1 = a0;
                    FloatVector a2 = a0;
                    FloatVector a3 = a0;
                    int k = 0;
                    for (; k < bound; k += lanes) {
                        FloatVector w = FloatVector.fromArray(SPECIES, concepts, oc + k);
                        a0 = FloatVector.fromArray(SPECIES, batch, o0 + k).fma(w, a0);
                        a1 = FloatVector.fromArray(SPECIES, batch, o1 + k).fma(w, a1);
                        a2 = FloatVector.fromArray(SPECIES, batch, o2 + k).fma(w, a2);
                        a3 = FloatVector.fromArray(SPECIES, batch, o3 + k).fma(w, a3);
                    }
                    float s0 = a0.reduceLanes(VectorOperators.ADD);
                    float s1 = a1.reduceLanes(VectorOperators.ADD);
                    float s2 = a2.reduceLanes(VectorOperators.ADD);
                    float s3 = a3.reduceLanes(VectorOperators.ADD);
                    for (; k < d; k++) {
                        float w = concepts[oc + k];
                        s0 += batch[o0 + k] * w;
                        s1 += batch[o1 + k] * w;
                        s2 += batch[o2 + k] * w;
                        s3 += batch[o3 + k] * w;
                    }
                    ScalarMatrixKernel.report(sink, r, c, thresholds[c], s0, s1, s2, s3);
                }
            }
            for (; r < rows; r++) {
                int o = r * d;
                for (int c = c0; c < c1; c++) {
                    int oc = c * d;
                    FloatVector a = FloatVector.zero(SPECIES);
                    int k = 0;
                    for (; k < bound; k += lanes) {
                        a = FloatVector.fromArray(SPECIES, batch, o + k).fma(FloatVector.fromArray(SPECIES, concepts, oc + k), a);
                    }
                    float s = a.reduceLanes(VectorOperators.ADD);
                    for (; k < d; k++) {
                        s += batch[o + k] * concepts[oc + k];
                    }
                    if (s >= thresholds[c]) {
                        sink.match(r, c, s);
                    }
                }
            }
        }
    }
}
