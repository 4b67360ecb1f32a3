package io.clipstream.index;

/**
 * Dot products of a float32 query with float32, int8 or float16 vectors, as graph walks rank by: a scalar and a SIMD
 * implementation. (Returned scores are {@link VectorMath#dot}'s, whichever of these ranked a walk.)
 */
interface QuantizedDot {

    /** The dot product of {@code query} with the int8 codes at {@code offset} (not yet multiplied by their scale). */
    float int8(float[] query, byte[] codes, int offset);

    /** The dot product of {@code query} with the float16 codes at {@code offset}. */
    float fp16(float[] query, short[] codes, int offset);

    /** The dot product of two float32 vectors of the same length. */
    float float32(float[] query, float[] vector);
}
