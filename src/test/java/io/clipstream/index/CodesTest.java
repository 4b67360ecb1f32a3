package io.clipstream.index;

import io.clipstream.testing.TestVectors;
import io.github.jbellis.jvector.graph.similarity.ScoreFunction;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The run codes: how close int8 and float16 scores are to float32's, that a segment's code table scores every run
 * the way the run's own codes say, that codes read back from disk are the ones written, and the SIMD kernel against
 * the scalar one.
 */
class CodesTest {

    private static final int DIMENSION = 512;

    @Test
    void int8AndFp16ScoresStayWithinTheirRoundingOfTheFloat32Score() {
        Random random = new Random(9);
        // Two runs, so the code table's addressing by run position is covered; slots grow past the first arrays.
        List<VectorRun> runs = List.of(run(0, RunCodes.Kind.INT8), run(1, RunCodes.Kind.INT8));
        List<VectorRun> halves = List.of(run(2, RunCodes.Kind.FP16), run(3, RunCodes.Kind.FP16));
        float[][] vectors = new float[2 * 1024][];
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = TestVectors.randomUnitVector(random, DIMENSION);
            runs.get(i / 1024).append("v" + i, vectors[i], Map.of(), payload(), i);
            halves.get(i / 1024).append("v" + i, vectors[i], Map.of(), payload(), i);
        }
        runs.forEach(VectorRun::trim);
        halves.forEach(VectorRun::trim);
        CodeTable int8 = new Segment(10, runs, 10).codes();
        CodeTable fp16 = new Segment(11, halves, 10).codes();
        float[] query = TestVectors.randomUnitVector(random, DIMENSION);
        ScoreFunction.ExactScoreFunction int8Scores = int8.scoresFor(query);
        ScoreFunction.ExactScoreFunction fp16Scores = fp16.scoresFor(query);
        double worstInt8 = 0;
        double worstFp16 = 0;
        for (int i = 0; i < vectors.length; i++) {
            int ordinal = (i / 1024) << 10 | (i % 1024);
            float exact = VectorMath.dot(query, vectors[i]);
            float int8Dot = 2 * int8Scores.similarityTo(ordinal) - 1;
            worstInt8 = Math.max(worstInt8, Math.abs(int8Dot - exact));
            worstFp16 = Math.max(worstFp16, Math.abs(2 * fp16Scores.similarityTo(ordinal) - 1 - exact));
            assertEquals(int8Dot, VectorMath.dot(query, int8.decode(ordinal)), 1e-4, "decode matches the codes");
        }
        assertTrue(worstInt8 < 3e-3, "int8 score error " + worstInt8);
        assertTrue(worstFp16 < 1e-4, "fp16 score error " + worstFp16);
        assertEquals(DIMENSION + 4, RunCodes.Kind.INT8.bytesPerVector(DIMENSION));
        assertEquals(DIMENSION * 2, RunCodes.Kind.FP16.bytesPerVector(DIMENSION));
        assertEquals(DIMENSION / 8, RunCodes.Kind.BINARY.bytesPerVector(DIMENSION));
    }

    @Test
    void binaryCodesScoreTheShareOfMatchingSigns() {
        VectorRun run = run(0, RunCodes.Kind.BINARY);
        float[] vector = new float[DIMENSION];
        for (int i = 0; i < DIMENSION; i++) {
            vector[i] = i % 2 == 0 ? 0.5f : -0.5f;
        }
        run.append("a", vector, Map.of(), payload(), 0);
        float[] flipped = vector.clone();
        for (int i = 0; i < DIMENSION / 4; i++) {
            flipped[i] = -flipped[i];
        }
        run.trim();
        CodeTable bits = new Segment(1, List.of(run), 10).codes();
        assertEquals(1f, bits.scoresFor(vector).similarityTo(0));
        assertEquals(0.75f, bits.scoresFor(flipped).similarityTo(0));
    }

    @Test
    void everyKindOfCodeReadsBackAsWritten() throws IOException {
        Random random = new Random(12);
        for (RunCodes.Kind kind : RunCodes.Kind.values()) {
            RunCodes codes = kind.create(DIMENSION, 4);
            List<float[]> vectors = new ArrayList<>();
            for (int slot = 0; slot < 37; slot++) {
                vectors.add(TestVectors.randomUnitVector(random, DIMENSION));
                codes.set(slot, vectors.get(slot));
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            codes.write(new DataOutputStream(bytes), 37);
            RunCodes read = kind.read(ByteBuffer.wrap(bytes.toByteArray()), DIMENSION, 37);
            for (int slot = 0; slot < 37; slot++) {
                assertArrayEquals(codes.decode(slot), read.decode(slot), kind + " slot " + slot);
            }
            assertEquals(kind, read.kind());
        }
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

    @Test
    void bothKernelsQuantiseToTheSameCodesWithinHalfAStepOfEachComponent() {
        Random random = new Random(6);
        QuantizedDot simd = new SimdQuantizedDot();
        QuantizedDot scalar = new ScalarQuantizedDot();
        for (int length : new int[]{1, 7, 16, 33, 64, 100, 512, 515}) {
            for (int trial = 0; trial < 20; trial++) {
                float[] vector = new float[length];
                for (int i = 0; i < length; i++) {
                    vector[i] = (float) random.nextGaussian() * (trial + 1);
                }
                if (trial == 0) {
                    java.util.Arrays.fill(vector, 0f); // a zero vector: scale 1, codes 0
                }
                byte[] bySimd = new byte[length + 5];
                byte[] byScalar = new byte[length + 5];
                float scale = simd.quantizeInt8(vector, bySimd, 5);
                assertEquals(scale, scalar.quantizeInt8(vector, byScalar, 5), "scale, length " + length);
                assertArrayEquals(byScalar, bySimd, "codes, length " + length + " trial " + trial);
                float largest = 0f;
                for (float x : vector) {
                    largest = Math.max(largest, Math.abs(x));
                }
                assertEquals(largest == 0f ? 1f : largest / 127f, scale, "scale = max|x| / 127");
                for (int i = 0; i < length; i++) {
                    assertTrue(Math.abs(bySimd[5 + i] * scale - vector[i]) <= scale * 0.5f * 1.0001f,
                            "component " + i + " decodes within half a step");
                }
            }
        }
    }

    private static VectorRun run(long id, RunCodes.Kind kind) {
        return new VectorRun(id, 1024, DIMENSION, false, kind);
    }

    private static HitPayload payload() {
        return new HitPayload(io.clipstream.schema.Modality.IMAGE, Map.of(), null, List.of());
    }
}
