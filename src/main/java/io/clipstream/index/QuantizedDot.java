package io.clipstream.index;

/** Dot products of a float32 query with int8 or float16 codes: a scalar and a SIMD implementation. */
interface QuantizedDot {

    /** The dot product of {@code query} with the int8 codes at {@code offset} (not yet multiplied by their scale). */
    float int8(float[] query, byte[] codes, int offset);

    /** The dot product of {@code query} with the float16 codes at {@code offset}. */
    float fp16(float[] query, short[] codes, int offset);
}
