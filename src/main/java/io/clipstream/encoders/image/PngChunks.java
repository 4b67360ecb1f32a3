package io.clipstream.encoders.image;

import java.util.zip.CRC32;

/**
 * Checks a PNG's chunk framing and the CRCs of its critical chunks (IHDR, PLTE, IDAT, IEND)
 * before decoding. The JDK reader does not look at CRCs, so a flipped bit inside pixel data would
 * otherwise decode into a silently wrong picture; libpng refuses such files, and so do we.
 * Ancillary chunks with a bad CRC are ignored, as libpng does by default.
 */
final class PngChunks {

    private PngChunks() {
    }

    /**
     * True for greyscale and truecolour PNGs (colour types 0 and 2), which have no alpha channel:
     * any alpha the JDK reader reports for them comes from a tRNS colour key, which Pillow's
     * {@code load_rgb} ignores (mode "L"/"RGB" are not composited), so the decoder ignores it too.
     * Assumes the IHDR chunk comes first, as {@link #problem} requires of a valid file.
     */
    static boolean colourTypeWithoutAlpha(byte[] b) {
        int colourType = b.length > 25 ? b[25] & 0xFF : -1;
        return colourType == 0 || colourType == 2;
    }

    /** Null when the framing is sound, otherwise what is wrong with it. */
    static String problem(byte[] b) {
        int pos = 8; // after the signature the sniffer checked
        CRC32 crc = new CRC32();
        boolean sawData = false;
        while (pos < b.length) {
            if (b.length - pos < 12) {
                return "the data ends inside a chunk header (truncated)";
            }
            long length = u32(b, pos);
            if (length > b.length - pos - 12L) {
                return "the data ends inside a " + type(b, pos + 4) + " chunk (truncated)";
            }
            int dataLength = (int) length;
            String type = type(b, pos + 4);
            boolean critical = (b[pos + 4] & 0x20) == 0; // upper-case first letter
            if (critical) {
                crc.reset();
                crc.update(b, pos + 4, 4 + dataLength);
                if (crc.getValue() != u32(b, pos + 8 + dataLength)) {
                    return "the " + type + " chunk at byte " + pos + " fails its CRC check (damaged)";
                }
            }
            if (type.equals("IDAT")) {
                sawData = true;
            }
            if (type.equals("IEND")) {
                return sawData ? null : "there is no image data (no IDAT chunk)";
            }
            pos += 12 + dataLength;
        }
        // No IEND: acceptable when the image data is complete, which the decoder then checks.
        return sawData ? null : "there is no image data (no IDAT chunk)";
    }

    private static long u32(byte[] b, int at) {
        return ((long) (b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }

    private static String type(byte[] b, int at) {
        StringBuilder sb = new StringBuilder(4);
        for (int i = 0; i < 4; i++) {
            int c = b[at + i] & 0xFF;
            sb.append(c >= 0x20 && c < 0x7F ? (char) c : '?');
        }
        return sb.toString();
    }
}
