package io.clipstream.encoders.image;

/**
 * Checks that an uncompressed BMP holds all the pixel rows its header promises. The JDK reader
 * fills a short file's missing rows in silently; Pillow reports such a file as truncated (it
 * tolerates only the missing padding of the last row, and so do we).
 * Run-length encoded bitmaps cannot be sized from the header and are left to the reader.
 */
final class BmpHeader {

    private static final int BI_RGB = 0;
    private static final int BI_BITFIELDS = 3;
    private static final int BI_ALPHABITFIELDS = 6;

    private BmpHeader() {
    }

    /** Null when the pixel data is long enough (or cannot be sized), otherwise what is wrong. */
    static String problem(byte[] b) {
        if (b.length < 26) {
            return "the file is shorter than a BMP header";
        }
        long dataOffset = u32(b, 10);
        long headerSize = u32(b, 14);
        long width;
        long height;
        int bitsPerPixel;
        long compression;
        if (headerSize == 12) { // OS/2 BITMAPCOREHEADER
            width = u16(b, 18);
            height = u16(b, 20);
            bitsPerPixel = u16(b, 24);
            compression = BI_RGB;
        } else if (headerSize >= 40 && b.length >= 34) {
            width = (int) u32(b, 18);
            height = Math.abs((long) (int) u32(b, 22)); // negative height: rows stored top-down
            bitsPerPixel = u16(b, 28);
            compression = u32(b, 30);
        } else {
            return null; // unusual header: the reader decides
        }
        if (compression != BI_RGB && compression != BI_BITFIELDS && compression != BI_ALPHABITFIELDS) {
            return null;
        }
        if (width <= 0 || bitsPerPixel <= 0) {
            return null; // the reader reports a bad header better
        }
        long stride = (width * bitsPerPixel + 31) / 32 * 4;
        // The last row's padding may be missing: Pillow does not need it either.
        long needed = height == 0 ? dataOffset : dataOffset + stride * (height - 1) + (width * bitsPerPixel + 7) / 8;
        if (needed > b.length) {
            return "the pixel data ends after " + b.length + " of " + needed + " bytes (truncated)";
        }
        return null;
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) | ((b[at + 1] & 0xFF) << 8);
    }

    private static long u32(byte[] b, int at) {
        return (b[at] & 0xFFL) | ((b[at + 1] & 0xFFL) << 8) | ((b[at + 2] & 0xFFL) << 16) | ((b[at + 3] & 0xFFL) << 24);
    }
}
