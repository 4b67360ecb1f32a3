package io.clipstream.index;

import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One bit per component (its sign), as JVector's binary quantization: a walk ranks by the share of matching signs
 * and the float32 copy re-ranks what it finds. Its recall needs a wide beam and high dimensions (docs/BENCHMARKS.md).
 */
final class BinaryCodes implements RunCodes {

    private final int dimension;
    private final int words;
    private long[] bits;

    BinaryCodes(int dimension, int initialSlots) {
        this.dimension = dimension;
        this.words = words(dimension);
        this.bits = new long[initialSlots * words];
    }

    private BinaryCodes(int dimension, long[] bits) {
        this.dimension = dimension;
        this.words = words(dimension);
        this.bits = bits;
    }

    static int words(int dimension) {
        return (dimension + 63) / 64;
    }

    @Override
    public void set(int slot, float[] vector) {
        if ((slot + 1) * words > bits.length) {
            bits = Arrays.copyOf(bits, Math.max(slot + 1, 2 * bits.length / words) * words);
        }
        encode(vector, bits, slot * words);
    }

    static void encode(float[] vector, long[] into, int offset) {
        for (int i = 0; i < vector.length; i++) {
            if (vector[i] > 0) {
                into[offset + i / 64] |= 1L << (i % 64);
            } else {
                into[offset + i / 64] &= ~(1L << (i % 64));
            }
        }
    }

    @Override
    public float[] decode(int slot) {
        // Signs only: the magnitude is gone; a unit-norm vector of the same signs is the best stand-in.
        float[] vector = new float[dimension];
        float magnitude = (float) (1 / Math.sqrt(dimension));
        int offset = slot * words;
        for (int i = 0; i < dimension; i++) {
            vector[i] = (bits[offset + i / 64] & (1L << (i % 64))) != 0 ? magnitude : -magnitude;
        }
        return vector;
    }

    long[] bitArray() {
        return bits;
    }

    @Override
    public void trim(int slots) {
        bits = Arrays.copyOf(bits, slots * words);
    }

    @Override
    public void write(DataOutput out, int slots) throws IOException {
        for (int i = 0; i < slots * words; i++) {
            out.writeLong(bits[i]);
        }
    }

    static BinaryCodes read(ByteBuffer in, int dimension, int slots) {
        long[] bits = new long[slots * words(dimension)];
        in.asLongBuffer().get(bits);
        in.position(in.position() + bits.length * Long.BYTES);
        return new BinaryCodes(dimension, bits);
    }

    @Override
    public long bytesPerVector() {
        return Kind.BINARY.bytesPerVector(dimension);
    }

    @Override
    public Kind kind() {
        return Kind.BINARY;
    }
}
