package io.clipstream.index;

import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/** Float16 codes: half the memory of float32, scores within about {@code 1e-4} of the float32 ones. */
final class Fp16Codes implements RunCodes {

    private static final QuantizedDot DOT = QuantizedDots.BEST;

    private final int dimension;
    private short[] codes;

    Fp16Codes(int dimension, int initialSlots) {
        this.dimension = dimension;
        this.codes = new short[initialSlots * dimension];
    }

    private Fp16Codes(int dimension, short[] codes) {
        this.dimension = dimension;
        this.codes = codes;
    }

    @Override
    public void set(int slot, float[] vector) {
        if ((slot + 1) * dimension > codes.length) {
            codes = Arrays.copyOf(codes, Math.max(slot + 1, 2 * codes.length / dimension) * dimension);
        }
        int offset = slot * dimension;
        short[] into = codes;
        for (int i = 0; i < dimension; i++) {
            into[offset + i] = Float.floatToFloat16(vector[i]);
        }
    }

    @Override
    public float[] decode(int slot) {
        float[] vector = new float[dimension];
        int offset = slot * dimension;
        for (int i = 0; i < dimension; i++) {
            vector[i] = Float.float16ToFloat(codes[offset + i]);
        }
        return vector;
    }

    short[] codeArray() {
        return codes;
    }

    @Override
    public void trim(int slots) {
        codes = Arrays.copyOf(codes, slots * dimension);
    }

    @Override
    public void write(DataOutput out, int slots) throws IOException {
        for (int i = 0; i < slots * dimension; i++) {
            out.writeShort(codes[i]);
        }
    }

    static Fp16Codes read(ByteBuffer in, int dimension, int slots) {
        short[] codes = new short[slots * dimension];
        in.asShortBuffer().get(codes);
        in.position(in.position() + codes.length * Short.BYTES);
        return new Fp16Codes(dimension, codes);
    }

    @Override
    public long bytesPerVector() {
        return Kind.FP16.bytesPerVector(dimension);
    }

    @Override
    public Kind kind() {
        return Kind.FP16;
    }
}
