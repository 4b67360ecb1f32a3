package io.clipstream.index;

/** {@link QuantizedDot} in plain Java: four running sums, like {@link VectorMath#dot}. */
final class ScalarQuantizedDot implements QuantizedDot {

    @Override
    public float int8(float[] query, byte[] codes, int offset) {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        int d = query.length;
        int i = 0;
        for (; i + 3 < d; i += 4) {
            s0 += query[i] * codes[offset + i];
            s1 += query[i + 1] * codes[offset + i + 1];
            s2 += query[i + 2] * codes[offset + i + 2];
            s3 += query[i + 3] * codes[offset + i + 3];
        }
        for (; i < d; i++) {
            s0 += query[i] * codes[offset + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public float fp16(float[] query, short[] codes, int offset) {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        int d = query.length;
        int i = 0;
        for (; i + 3 < d; i += 4) {
            s0 += query[i] * Float.float16ToFloat(codes[offset + i]);
            s1 += query[i + 1] * Float.float16ToFloat(codes[offset + i + 1]);
            s2 += query[i + 2] * Float.float16ToFloat(codes[offset + i + 2]);
            s3 += query[i + 3] * Float.float16ToFloat(codes[offset + i + 3]);
        }
        for (; i < d; i++) {
            s0 += query[i] * Float.float16ToFloat(codes[offset + i]);
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public float float32(float[] query, float[] vector) {
        return VectorMath.dot(query, vector, 0, query.length);
    }

    @Override
    public float quantizeInt8(float[] vector, byte[] into, int offset) {
        float scale = QuantizedDot.int8Scale(maxAbs(vector));
        float inverse = 1f / scale;
        for (int i = 0; i < vector.length; i++) {
            into[offset + i] = QuantizedDot.int8Code(vector[i] * inverse);
        }
        return scale;
    }

    private static float maxAbs(float[] vector) {
        float max = 0f;
        for (float x : vector) {
            max = Math.max(max, Math.abs(x));
        }
        return max;
    }
}
