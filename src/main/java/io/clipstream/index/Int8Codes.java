package io.clipstream.index;

import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Int8 codes, symmetric per vector: {@code code = round(x / scale)} (half away from zero), {@code scale = max|x| / 127},
 * a quarter of float32. For an L2-normalised 512-d vector the rounding error of a score is about {@code 1e-3}, well
 * below the gaps that decide a top 10 after re-ranking. A run's codes are one contiguous array, so a walk reads one short run of
 * memory per node and an exact scan streams.
 */
final class Int8Codes implements RunCodes {

    private static final QuantizedDot DOT = QuantizedDots.BEST;

    private final int dimension;
    private byte[] codes;
    private float[] scales;

    Int8Codes(int dimension, int initialSlots) {
        this.dimension = dimension;
        this.codes = new byte[initialSlots * dimension];
        this.scales = new float[initialSlots];
    }

    private Int8Codes(int dimension, byte[] codes, float[] scales) {
        this.dimension = dimension;
        this.codes = codes;
        this.scales = scales;
    }

    @Override
    public void set(int slot, float[] vector) {
        if (slot >= scales.length) {
            int grown = Math.max(slot + 1, scales.length * 2);
            codes = Arrays.copyOf(codes, grown * dimension);
            scales = Arrays.copyOf(scales, grown);
        }
        // On the writer's thread for every appended vector: the SIMD kernel quantises 512 components in about 0.5 us
        // where the scalar division and Math.round took 4 us, a third of the stream thread's samples in a burst.
        scales[slot] = DOT.quantizeInt8(vector, codes, slot * dimension);
    }

    @Override
    public float[] decode(int slot) {
        float[] vector = new float[dimension];
        float scale = scales[slot];
        int offset = slot * dimension;
        for (int i = 0; i < dimension; i++) {
            vector[i] = codes[offset + i] * scale;
        }
        return vector;
    }

    byte[] codeArray() {
        return codes;
    }

    float[] scaleArray() {
        return scales;
    }

    @Override
    public void trim(int slots) {
        codes = Arrays.copyOf(codes, slots * dimension);
        scales = Arrays.copyOf(scales, slots);
    }

    @Override
    public void write(DataOutput out, int slots) throws IOException {
        out.write(codes, 0, slots * dimension);
        for (int i = 0; i < slots; i++) {
            out.writeFloat(scales[i]);
        }
    }

    static Int8Codes read(ByteBuffer in, int dimension, int slots) {
        byte[] codes = new byte[slots * dimension];
        in.get(codes);
        float[] scales = new float[slots];
        in.asFloatBuffer().get(scales);
        in.position(in.position() + slots * Float.BYTES);
        return new Int8Codes(dimension, codes, scales);
    }

    @Override
    public long bytesPerVector() {
        return Kind.INT8.bytesPerVector(dimension);
    }

    @Override
    public Kind kind() {
        return Kind.INT8;
    }
}
