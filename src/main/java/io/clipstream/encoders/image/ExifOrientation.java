package io.clipstream.encoders.image;

/**
 * The EXIF orientation tag (0x0112 in IFD0) and the transposition that undoes it, with the same
 * result as Pillow's {@code ImageOps.exif_transpose}.
 *
 * <p>The parser is deliberately tiny: it reads the TIFF header and IFD0 only, checks every offset
 * against the segment bounds, and answers 1 (as stored) for anything it cannot read, because a
 * broken EXIF block must not make an otherwise good photo fail.
 */
final class ExifOrientation {

    private static final int TAG_ORIENTATION = 0x0112;
    private static final int TYPE_SHORT = 3;
    private static final int TYPE_LONG = 4;

    private ExifOrientation() {
    }

    /**
     * Orientation 1..8 from the TIFF structure at {@code b[start .. start+length)} (the APP1
     * payload after "Exif\0\0"), or 1 when absent, out of range or unreadable.
     */
    static int parse(byte[] b, int start, int length) {
        if (start < 0 || length < 8 || start + length > b.length) {
            return 1;
        }
        boolean little;
        if (b[start] == 'I' && b[start + 1] == 'I') {
            little = true;
        } else if (b[start] == 'M' && b[start + 1] == 'M') {
            little = false;
        } else {
            return 1;
        }
        if (u16(b, start + 2, little) != 42) {
            return 1;
        }
        long ifd = u32(b, start + 4, little);
        if (ifd < 8 || ifd + 2 > length) {
            return 1;
        }
        int ifdAt = start + (int) ifd;
        int entries = u16(b, ifdAt, little);
        for (int i = 0; i < entries; i++) {
            int entry = ifdAt + 2 + 12 * i;
            if (entry + 12 > start + length) {
                return 1;
            }
            if (u16(b, entry, little) != TAG_ORIENTATION) {
                continue;
            }
            int type = u16(b, entry + 2, little);
            long count = u32(b, entry + 4, little);
            if (count < 1) {
                return 1;
            }
            long value;
            if (type == TYPE_SHORT) {
                value = u16(b, entry + 8, little); // values of 4 bytes or less sit in the entry itself
            } else if (type == TYPE_LONG) {
                value = u32(b, entry + 8, little);
            } else {
                return 1;
            }
            return value >= 1 && value <= 8 ? (int) value : 1;
        }
        return 1;
    }

    /**
     * The upright image for {@code orientation}; {@code pixels} itself for 1. Pillow's mapping:
     * 2 FLIP_LEFT_RIGHT, 3 ROTATE_180, 4 FLIP_TOP_BOTTOM, 5 TRANSPOSE, 6 ROTATE_270, 7 TRANSVERSE,
     * 8 ROTATE_90 (rotations counter-clockwise).
     */
    static RgbPixels apply(RgbPixels pixels, int orientation) {
        if (orientation <= 1 || orientation > 8) {
            return pixels;
        }
        int w = pixels.width;
        int h = pixels.height;
        int[] in = pixels.data;
        boolean swapsAxes = orientation >= 5;
        int outW = swapsAxes ? h : w;
        int outH = swapsAxes ? w : h;
        int[] out = new int[in.length];
        int o = 0;
        for (int y = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - x; sy = y; }
                    case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }
                    case 4 -> { sx = x; sy = h - 1 - y; }
                    case 5 -> { sx = y; sy = x; }
                    case 6 -> { sx = y; sy = h - 1 - x; }
                    case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }
                    default -> { sx = w - 1 - y; sy = x; } // 8
                }
                out[o++] = in[sy * w + sx];
            }
        }
        return new RgbPixels(outW, outH, out);
    }

    private static int u16(byte[] b, int at, boolean little) {
        int b0 = b[at] & 0xFF;
        int b1 = b[at + 1] & 0xFF;
        return little ? (b1 << 8) | b0 : (b0 << 8) | b1;
    }

    private static long u32(byte[] b, int at, boolean little) {
        long v = 0;
        for (int i = 0; i < 4; i++) {
            int shift = little ? 8 * i : 8 * (3 - i);
            v |= (long) (b[at + i] & 0xFF) << shift;
        }
        return v;
    }
}
