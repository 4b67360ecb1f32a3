package io.clipstream.store;

import java.util.Arrays;

/**
 * Compressed copies of a graph's vectors by ordinal, for the graph build and walk: int8 (one byte per component and a
 * per-vector scale, a quarter of float32) or float16 (half of float32). The full-precision vectors stay in RocksDB,
 * which re-ranks the candidates a walk returns ({@link FullPrecisionSource}).
 *
 * <p>Int8 is symmetric per vector: {@code code = round(x / scale)}, {@code scale = max|x| / 127}. For an L2-normalised
 * 512-d vector the rounding error of a score is about {@code 1e-3}, well below the gaps that decide a top 10 after
 * re-ranking. Codes sit in chunks of {@value #CHUNK} vectors, contiguous within a chunk: growing copies only the chunk
 * table, and a walk reads one short run of memory per node. Not thread-safe for writes; reads may run concurrently
 * with each other (the owning index serialises writes against them).
 */
final class QuantizedVectors {

    /** The code formats. */
    enum Kind {
        INT8, FP16;

        /** The code format of a compression, or null for those that keep float32 in memory. */
        static Kind of(AnnSettings.Compression compression) {
            return switch (compression) {
                case INT8, INT8_FLOAT32 -> INT8;
                case FP16 -> FP16;
                case NONE, BINARY -> null;
            };
        }
    }

    private static final int CHUNK = 4096;

    private final Kind kind;
    private final int dimension;
    private final QuantizedDot dot = QuantizedDots.BEST;
    private byte[][] int8 = new byte[0][];
    private float[][] scales = new float[0][];
    private short[][] fp16 = new short[0][];

    QuantizedVectors(Kind kind, int dimension) {
        this.kind = kind;
        this.dimension = dimension;
    }

    Kind kind() {
        return kind;
    }

    void set(int ordinal, float[] vector) {
        int chunk = ordinal / CHUNK;
        int offset = (ordinal % CHUNK) * dimension;
        ensureChunk(chunk);
        if (kind == Kind.INT8) {
            float maxAbs = 0f;
            for (float x : vector) {
                maxAbs = Math.max(maxAbs, Math.abs(x));
            }
            float scale = maxAbs == 0f ? 1f : maxAbs / 127f;
            byte[] codes = int8[chunk];
            for (int i = 0; i < dimension; i++) {
                codes[offset + i] = (byte) Math.round(vector[i] / scale);
            }
            scales[chunk][ordinal % CHUNK] = scale;
        } else {
            short[] codes = fp16[chunk];
            for (int i = 0; i < dimension; i++) {
                codes[offset + i] = Float.floatToFloat16(vector[i]);
            }
        }
    }

    private void ensureChunk(int chunk) {
        if (kind == Kind.INT8) {
            if (chunk >= int8.length) {
                int grown = Math.max(chunk + 1, int8.length * 2);
                int8 = Arrays.copyOf(int8, grown);
                scales = Arrays.copyOf(scales, grown);
            }
            if (int8[chunk] == null) {
                int8[chunk] = new byte[CHUNK * dimension];
                scales[chunk] = new float[CHUNK];
            }
        } else {
            if (chunk >= fp16.length) {
                fp16 = Arrays.copyOf(fp16, Math.max(chunk + 1, fp16.length * 2));
            }
            if (fp16[chunk] == null) {
                fp16[chunk] = new short[CHUNK * dimension];
            }
        }
    }

    /** The dot product of {@code query} (float32, full length) with the codes of {@code ordinal}. */
    float dot(float[] query, int ordinal) {
        int chunk = ordinal / CHUNK;
        int offset = (ordinal % CHUNK) * dimension;
        if (kind == Kind.INT8) {
            return dot.int8(query, int8[chunk], offset) * scales[chunk][ordinal % CHUNK];
        }
        return dot.fp16(query, fp16[chunk], offset);
    }

    /** The vector the codes of {@code ordinal} stand for (to score other nodes against it while building). */
    float[] decode(int ordinal) {
        int chunk = ordinal / CHUNK;
        int offset = (ordinal % CHUNK) * dimension;
        float[] vector = new float[dimension];
        if (kind == Kind.INT8) {
            float scale = scales[chunk][ordinal % CHUNK];
            byte[] codes = int8[chunk];
            for (int i = 0; i < dimension; i++) {
                vector[i] = codes[offset + i] * scale;
            }
        } else {
            short[] codes = fp16[chunk];
            for (int i = 0; i < dimension; i++) {
                vector[i] = Float.float16ToFloat(codes[offset + i]);
            }
        }
        return vector;
    }

    /** Code bytes per vector (int8: the codes and the scale). */
    long bytesPerVector() {
        return bytesPerVector(kind, dimension);
    }

    static long bytesPerVector(Kind kind, int dimension) {
        return kind == Kind.INT8 ? dimension + Float.BYTES : 2L * dimension;
    }
}
