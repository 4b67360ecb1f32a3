package io.clipstream.index;

/**
 * Dot products of a float32 query with float32, int8 or float16 vectors, as graph walks rank by, and the int8
 * quantisation every appended vector goes through: a scalar and a SIMD implementation. (Returned scores are
 * {@link VectorMath#dot}'s, whichever of these ranked a walk.)
 */
interface QuantizedDot {

    /** The dot product of {@code query} with the int8 codes at {@code offset} (not yet multiplied by their scale). */
    float int8(float[] query, byte[] codes, int offset);

    /** The dot product of {@code query} with the float16 codes at {@code offset}. */
    float fp16(float[] query, short[] codes, int offset);

    /** The dot product of two float32 vectors of the same length. */
    float float32(float[] query, float[] vector);

    /**
     * Writes the symmetric int8 codes of {@code vector} at {@code offset}: {@code code = x / scale} rounded half away
     * from zero, {@code scale = max|x| / 127} (1 for a zero vector). Both implementations write the same codes.
     *
     * @return the scale
     */
    float quantizeInt8(float[] vector, byte[] into, int offset);

    /** The int8 scale of a vector whose largest magnitude is {@code maxAbs}. */
    static float int8Scale(float maxAbs) {
        return maxAbs == 0f ? 1f : maxAbs / 127f;
    }

    /** One component's code, {@code scaled} = component / scale rounded half away from zero. */
    static byte int8Code(float scaled) {
        return (byte) (int) (scaled + (scaled < 0f ? -0.5f : 0.5f));
    }
}
