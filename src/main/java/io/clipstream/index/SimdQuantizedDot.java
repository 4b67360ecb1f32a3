package io.clipstream.index;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link QuantizedDot} with the JDK's vector API: int8 codes are widened to float lanes (one byte lane per float lane)
 * and multiplied into the query with fused multiply-adds. Float16 codes use the scalar loop: the vector API has no
 * half-float conversion in the JDKs we target. Only {@link QuantizedDots} loads this class, and only when
 * jdk.incubator.vector is on the module graph.
 */
public final class SimdQuantizedDot implements QuantizedDot {

    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Byte> BYTES = VectorSpecies.of(byte.class, VectorShape.forBitSize(FLOATS.length() * 8));
    private final ScalarQuantizedDot scalar = new ScalarQuantizedDot();

    @Override
    public float int8(float[] query, byte[] codes, int offset) {
        int d = query.length;
        int lanes = FLOATS.length();
        FloatVector a0 = FloatVector.zero(FLOATS);
        FloatVector a1 = a0;
        int i = 0;
        for (; i + 2 * lanes <= d; i += 2 * lanes) {
            FloatVector c0 = (FloatVector) ByteVector.fromArray(BYTES, codes, offset + i).convertShape(VectorOperators.B2F, FLOATS, 0);
            FloatVector c1 = (FloatVector) ByteVector.fromArray(BYTES, codes, offset + i + lanes).convertShape(VectorOperators.B2F, FLOATS, 0);
            a0 = FloatVector.fromArray(FLOATS, query, i).fma(c0, a0);
            a1 = FloatVector.fromArray(FLOATS, query, i + lanes).fma(c1, a1);
        }
        float sum = a0.add(a1).reduceLanes(VectorOperators.ADD);
        for (; i < d; i++) {
            sum += query[i] * codes[offset + i];
        }
        return sum;
    }

    @Override
    public float fp16(float[] query, short[] codes, int offset) {
        return scalar.fp16(query, codes, offset);
    }

    @Override
    public float float32(float[] query, float[] vector) {
        int d = query.length;
        int lanes = FLOATS.length();
        FloatVector a0 = FloatVector.zero(FLOATS);
        FloatVector a1 = a0;
        int i = 0;
        for (; i + 2 * lanes <= d; i += 2 * lanes) {
            a0 = FloatVector.fromArray(FLOATS, query, i).fma(FloatVector.fromArray(FLOATS, vector, i), a0);
            a1 = FloatVector.fromArray(FLOATS, query, i + lanes).fma(FloatVector.fromArray(FLOATS, vector, i + lanes), a1);
        }
        float sum = a0.add(a1).reduceLanes(VectorOperators.ADD);
        for (; i < d; i++) {
            sum += query[i] * vector[i];
        }
        return sum;
    }

    @Override
    public float quantizeInt8(float[] vector, byte[] into, int offset) {
        int d = vector.length;
        int lanes = FLOATS.length();
        FloatVector largest = FloatVector.zero(FLOATS);
        int i = 0;
        for (; i + lanes <= d; i += lanes) {
            largest = largest.max(FloatVector.fromArray(FLOATS, vector, i).abs());
        }
        float maxAbs = largest.reduceLanes(VectorOperators.MAX);
        for (; i < d; i++) {
            maxAbs = Math.max(maxAbs, Math.abs(vector[i]));
        }
        float scale = QuantizedDot.int8Scale(maxAbs);
        float inverse = 1f / scale;
        FloatVector half = FloatVector.broadcast(FLOATS, 0.5f);
        FloatVector minusHalf = FloatVector.broadcast(FLOATS, -0.5f);
        i = 0;
        for (; i + lanes <= d; i += lanes) {
            FloatVector x = FloatVector.fromArray(FLOATS, vector, i).mul(inverse);
            // Half away from zero, as the scalar loop: add +-0.5, then the conversion truncates.
            FloatVector rounded = x.add(half.blend(minusHalf, x.compare(VectorOperators.LT, 0f)));
            ((ByteVector) rounded.convertShape(VectorOperators.F2B, BYTES, 0)).intoArray(into, offset + i);
        }
        for (; i < d; i++) {
            into[offset + i] = QuantizedDot.int8Code(vector[i] * inverse);
        }
        return scale;
    }
}
