package io.clipstream.encoders.image;

/**
 * VP8's boolean entropy decoder (RFC 6386 section 7) in libwebp's formulation, including how it
 * runs out of data: past the end it shifts in zero bits once and raises {@link #eof}, which the
 * decoder checks where libwebp does, so a truncated stream is refused at the same point.
 */
final class Vp8BoolDecoder {

    private final byte[] buf;
    private int pos;
    private final int end;
    private long value;
    /** Number of valid bits left in {@code value} below the current position; negative: load more. */
    private int bits;
    /** The current range minus one, in [126, 254] between calls. */
    private int range;
    boolean eof;

    Vp8BoolDecoder(byte[] buf, int start, int length) {
        if (start < 0 || length < 0 || start + length > buf.length) {
            throw new IllegalArgumentException("partition outside the data");
        }
        this.buf = buf;
        this.pos = start;
        this.end = start + length;
        this.range = 255 - 1;
        this.value = 0;
        this.bits = -8;
        this.eof = false;
        loadNewBytes();
    }

    private void loadNewBytes() {
        // libwebp loads 7 bytes at a time while it can, then byte by byte; loading one byte at
        // a time whenever bits < 0 consumes exactly the same bits and hits the end at the same point.
        if (pos < end) {
            bits += 8;
            value = (buf[pos++] & 0xFF) | (value << 8);
        } else if (!eof) {
            value <<= 8;
            bits += 8;
            eof = true;
        } else {
            bits = 0;
        }
    }

    int getBit(int prob) {
        int r = range;
        if (bits < 0) {
            loadNewBytes();
        }
        int position = bits;
        int split = (r * prob) >>> 8;
        int v = (int) (value >>> position);
        int bit;
        if (v > split) {
            r -= split;
            value -= (long) (split + 1) << position;
            bit = 1;
        } else {
            r = split + 1;
            bit = 0;
        }
        int shift = 7 ^ (31 - Integer.numberOfLeadingZeros(r));
        r <<= shift;
        bits -= shift;
        range = r - 1;
        return bit;
    }

    /** {@code v} or {@code -v}, the sign read with probability 1/2. */
    int getSigned(int v) {
        return getBit(0x80) == 1 ? -v : v;
    }

    int getValue(int nBits) {
        int v = 0;
        while (nBits-- > 0) {
            v |= getBit(0x80) << nBits;
        }
        return v;
    }

    int getSignedValue(int nBits) {
        int v = getValue(nBits);
        return getBit(0x80) == 1 ? -v : v;
    }

    /** One flag bit with probability 1/2. */
    boolean get() {
        return getValue(1) == 1;
    }
}
