package io.clipstream.index;

import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Compressed copies of one run's vectors by slot, which build and walk the graphs: int8 ({@link Int8Codes}), float16
 * ({@link Fp16Codes}) or one bit per component ({@link BinaryCodes}). Written by the partition's writer only, slot by
 * slot before the slot is published; read by any number of searches and builds.
 */
sealed interface RunCodes permits Int8Codes, Fp16Codes, BinaryCodes {

    /** Encodes {@code vector} into {@code slot}, growing the storage if needed. */
    void set(int slot, float[] vector);

    /** The vector the codes of {@code slot} stand for. */
    float[] decode(int slot);

    /** Drops room beyond {@code slots}: a sealed run keeps what it holds and no more. */
    void trim(int slots);

    void write(DataOutput out, int slots) throws IOException;

    /** Code bytes one vector takes. */
    long bytesPerVector();

    Kind kind();

    /** The code kind of a compression, or null for those without codes. */
    static Kind kindOf(AnnSettings.Compression compression) {
        return switch (compression) {
            case INT8, INT8_FLOAT32 -> Kind.INT8;
            case FP16 -> Kind.FP16;
            case BINARY -> Kind.BINARY;
            case NONE -> null;
        };
    }

    enum Kind {
        INT8, FP16, BINARY;

        RunCodes create(int dimension, int initialSlots) {
            return switch (this) {
                case INT8 -> new Int8Codes(dimension, initialSlots);
                case FP16 -> new Fp16Codes(dimension, initialSlots);
                case BINARY -> new BinaryCodes(dimension, initialSlots);
            };
        }

        /** The codes of a segment's runs, addressed by graph ordinal. */
        CodeTable table(java.util.List<VectorRun> runs, int slotBits, int dimension) {
            return switch (this) {
                case INT8 -> new CodeTable.Int8(runs, slotBits, dimension);
                case FP16 -> new CodeTable.Fp16(runs, slotBits, dimension);
                case BINARY -> new CodeTable.Binary(runs, slotBits, dimension);
            };
        }

        RunCodes read(ByteBuffer in, int dimension, int slots) {
            return switch (this) {
                case INT8 -> Int8Codes.read(in, dimension, slots);
                case FP16 -> Fp16Codes.read(in, dimension, slots);
                case BINARY -> BinaryCodes.read(in, dimension, slots);
            };
        }

        long bytesPerVector(int dimension) {
            return switch (this) {
                case INT8 -> dimension + Float.BYTES;
                case FP16 -> 2L * dimension;
                case BINARY -> (long) BinaryCodes.words(dimension) * Long.BYTES;
            };
        }
    }
}
