package io.clipstream.serde;

import java.io.EOFException;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads Avro's binary encoding (the specification's primitive types and block counts) from a byte array, checking every
 * length against the bytes that are left, so that a corrupt or hostile record fails with an {@link IOException}
 * instead of allocating what its lengths claim. Integers follow Avro's own {@code BinaryDecoder} exactly, down to its
 * treatment of over-long varints, so that a record reads the same here as through Avro. Not thread-safe: one per
 * record.
 */
final class AvroBinaryInput {

    private static final VarHandle FLOAT_LE = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

    private final byte[] bytes;
    private final int end;
    private int position;

    /** Reads {@code bytes} from {@code offset} to the end of the array. */
    AvroBinaryInput(byte[] bytes, int offset) {
        if (offset < 0 || offset > bytes.length) {
            throw new IllegalArgumentException("offset " + offset + " is outside an array of " + bytes.length + " bytes");
        }
        this.bytes = bytes;
        this.position = offset;
        this.end = bytes.length;
    }

    int position() {
        return position;
    }

    boolean isEnd() {
        return position == end;
    }

    int remaining() {
        return end - position;
    }

    /** A zig-zag varint of at most 5 bytes, as Avro writes an int. */
    int readInt() throws IOException {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = readByte();
            // Like Avro: the fifth byte's high bits fall off the int rather than being refused.
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return (value >>> 1) ^ -(value & 1);
            }
        }
        throw new IOException("invalid int encoding at byte " + (position - 1) + ": more than 5 varint bytes");
    }

    /** A zig-zag varint of at most 10 bytes, as Avro writes a long. */
    long readLong() throws IOException {
        long value = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            int b = readByte();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return (value >>> 1) ^ -(value & 1);
            }
        }
        throw new IOException("invalid long encoding at byte " + (position - 1) + ": more than 10 varint bytes");
    }

    /** Avro writes a boolean as one byte; like Avro's decoder, any byte but 1 reads as false. */
    boolean readBoolean() throws IOException {
        return readByte() == 1;
    }

    float readFloat() throws IOException {
        require(Float.BYTES, "a float");
        float value = (float) FLOAT_LE.get(bytes, position);
        position += Float.BYTES;
        return value;
    }

    /** {@code count} floats, little-endian, into {@code target} from {@code offset}. */
    void readFloats(float[] target, int offset, int count) throws IOException {
        require((long) count * Float.BYTES, "%d floats", count);
        int at = position;
        for (int i = 0; i < count; i++, at += Float.BYTES) {
            target[offset + i] = (float) FLOAT_LE.get(bytes, at);
        }
        position = at;
    }

    /** A length-prefixed UTF-8 string; malformed UTF-8 is replaced, as Avro's decoder does. */
    String readString() throws IOException {
        long length = readLong();
        if (length < 0) {
            throw new IOException("malformed string at byte " + position + ": negative length " + length);
        }
        require(length, "a string of %d bytes", length);
        String value = new String(bytes, position, (int) length, StandardCharsets.UTF_8);
        position += (int) length;
        return value;
    }

    /**
     * The item count of the next block of an array or a map: 0 ends it; a negative count is followed by the block's
     * size in bytes, which is skipped. Counts that the bytes left could not hold, at {@code minItemBytes} each, are
     * refused before anyone allocates for them.
     */
    int readBlockCount(int minItemBytes) throws IOException {
        long count = readLong();
        if (count < 0) {
            if (count == Long.MIN_VALUE) {
                throw new IOException("malformed block count at byte " + position);
            }
            count = -count;
            readLong();
        }
        if (count > remaining() / Math.max(1, minItemBytes)) {
            throw new IOException("block of " + count + " items at byte " + position + " is longer than the "
                    + remaining() + " bytes left");
        }
        return (int) count;
    }

    private int readByte() throws IOException {
        if (position >= end) {
            throw new EOFException("record ends at byte " + end + " in the middle of a value");
        }
        return bytes[position++] & 0xFF;
    }

    private void require(long length, String what) throws EOFException {
        if (length > remaining()) {
            throw shortOf(length, what);
        }
    }

    /**
     * As {@link #require(long, String)} for a description that names a count ({@code whatFormat} holds one {@code %d}):
     * formatted only when the bytes are short, since a vector and its strings are read for every record the stream
     * decodes.
     */
    private void require(long length, String whatFormat, long count) throws EOFException {
        if (length > remaining()) {
            throw shortOf(length, String.format(Locale.ROOT, whatFormat, count));
        }
    }

    private EOFException shortOf(long length, String what) {
        return new EOFException("record ends at byte " + end + ", " + (length - remaining()) + " bytes short of "
                + what + " at byte " + position);
    }
}
