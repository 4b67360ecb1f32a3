package io.clipstream.store;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The int8 and float16 codes: how close their scores are to float32's, and the SIMD kernel against the scalar one. */
class QuantizedVectorsTest {

    @Test
    void int8AndFp16ScoresStayWithinTheirRoundingOfTheFloat32Score() {
        Random random = new Random(9);
        int dimension = 512;
        QuantizedVectors int8 = new QuantizedVectors(QuantizedVectors.Kind.INT8, dimension);
        QuantizedVectors fp16 = new QuantizedVectors(QuantizedVectors.Kind.FP16, dimension);
        float[][] vectors = new float[5_000][];
        // Past one chunk of 4096 vectors, so growth of the chunk table is covered.
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = TestVectors.randomUnitVector(random, dimension);
            int8.set(i, vectors[i]);
            fp16.set(i, vectors[i]);
        }
        float[] query = TestVectors.randomUnitVector(random, dimension);
        double worstInt8 = 0;
        double worstFp16 = 0;
        for (int i = 0; i < vectors.length; i++) {
            float exact = VectorMath.dot(query, vectors[i]);
            worstInt8 = Math.max(worstInt8, Math.abs(int8.dot(query, i) - exact));
            worstFp16 = Math.max(worstFp16, Math.abs(fp16.dot(query, i) - exact));
            assertEquals(int8.dot(query, i), VectorMath.dot(query, int8.decode(i)), 1e-4, "decode matches the codes");
        }
        assertTrue(worstInt8 < 3e-3, "int8 score error " + worstInt8);
        assertTrue(worstFp16 < 1e-4, "fp16 score error " + worstFp16);
        assertEquals(dimension + 4, int8.bytesPerVector());
        assertEquals(dimension * 2, fp16.bytesPerVector());
    }

    @Test
    void theSimdKernelAgreesWithTheScalarOneForEveryLengthAndOffset() {
        Random random = new Random(4);
        QuantizedDot simd = new SimdQuantizedDot();
        QuantizedDot scalar = new ScalarQuantizedDot();
        for (int length : new int[]{1, 7, 16, 33, 64, 100, 512, 515}) {
            float[] query = new float[length];
            byte[] codes = new byte[length + 11];
            short[] halves = new short[length + 11];
            for (int i = 0; i < length; i++) {
                query[i] = (float) random.nextGaussian();
            }
            random.nextBytes(codes);
            for (int i = 0; i < halves.length; i++) {
                halves[i] = Float.floatToFloat16((float) random.nextGaussian());
            }
            for (int offset : new int[]{0, 3, 11}) {
                assertEquals(scalar.int8(query, codes, offset), simd.int8(query, codes, offset),
                        1e-3f * length, "int8 length " + length + " offset " + offset);
                assertEquals(scalar.fp16(query, halves, offset), simd.fp16(query, halves, offset),
                        1e-4f * length, "fp16 length " + length + " offset " + offset);
            }
        }
    }
}
