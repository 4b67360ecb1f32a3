package io.clipstream.encoders.image;

import java.io.IOException;
import javax.imageio.IIOException;

/**
 * Where the first picture of a WebP file is, checked before anything is decoded: the RIFF chunk
 * walk of libwebp's demuxer ({@code ParseHeadersInternal}), reduced to what frame 0 needs. A RIFF
 * size larger than the data is a truncated file, bytes after the RIFF payload are ignored, a still
 * VP8X canvas must have exactly the size of its frame, an animation frame must fit its canvas. Simple files hold one "VP8 " (lossy) or "VP8L" (lossless) chunk; extended
 * files start with "VP8X" (canvas size) and hold an optional "ALPH" chunk before a lossy image, or
 * "ANMF" frames that each carry their own ALPH/VP8/VP8L chunks and an offset on the canvas.
 *
 * @param canvasWidth  the picture size Pillow reports (the canvas for extended files)
 * @param frameX       where frame 0 sits on the canvas (0 unless animated)
 * @param lossless     frame 0 is VP8L
 * @param offset       start of frame 0's VP8/VP8L payload in the file
 * @param length       its length
 * @param hasAlpha     an ALPH chunk comes with a lossy frame 0
 * @param chunksOffset where frame 0's own chunks (ALPH, VP8/VP8L) start inside its ANMF chunk; 0 unless animated
 */
record WebpContainer(int canvasWidth, int canvasHeight, int frameX, int frameY, int frameWidth, int frameHeight,
                     boolean lossless, int offset, int length, boolean hasAlpha, int chunksOffset) {

    private static final int HEADER = 12;

    /** True for a well-formed WebP file whose frame 0 is lossy (VP8), still or animated. */
    static boolean isLossy(byte[] webp) {
        try {
            return !parse(webp).lossless();
        } catch (IOException | RuntimeException notLossy) {
            return false;
        }
    }

    /** True for an animation (frame 0 came from an ANMF chunk). */
    boolean animated() {
        return chunksOffset > 0;
    }

    /**
     * Frame 0 of an animation as a still extended WebP file of the frame's size: VP8X, then frame
     * 0's own chunks unchanged. libwebp's still decoder ({@code WebPDecode}, which the JNI binding
     * calls) refuses animations, and Pillow's animation decoder puts frame 0 on a transparent canvas
     * unblended, so decoding this and placing it at the frame's offset gives Pillow's picture.
     */
    byte[] stillFrame0(byte[] file) {
        int chunksEnd = offset + length + (length & 1);
        int chunks = chunksEnd - chunksOffset;
        byte[] still = new byte[HEADER + 18 + chunks];
        putFourcc(still, 0, "RIFF");
        putLe(still, 4, still.length - 8, 4);
        putFourcc(still, 8, "WEBP");
        putFourcc(still, 12, "VP8X");
        putLe(still, 16, 10, 4);
        still[20] = (byte) (hasAlpha || lossless ? 0x10 : 0); // alpha flag; VP8L carries its own alpha bit
        putLe(still, 24, frameWidth - 1, 3);
        putLe(still, 27, frameHeight - 1, 3);
        System.arraycopy(file, chunksOffset, still, HEADER + 18, chunks);
        return still;
    }

    /** True when frame 0 covers the whole canvas (always, unless the file is animated). */
    boolean frameIsCanvas() {
        return frameX == 0 && frameY == 0 && frameWidth == canvasWidth && frameHeight == canvasHeight;
    }

    static WebpContainer parse(byte[] b) throws IIOException {
        if (b.length < HEADER + 8 || !fourcc(b, 0).equals("RIFF") || !fourcc(b, 8).equals("WEBP")) {
            throw new IIOException("not a WebP file: it does not start with a RIFF/WEBP header");
        }
        long riffSize = u32(b, 4);
        if (riffSize + 8 > b.length) {
            throw new IIOException("truncated WebP file: the RIFF header declares " + riffSize + " bytes, "
                    + (b.length - 8) + " follow it");
        }
        if (riffSize < 4 + 8) {
            throw new IIOException("corrupt WebP file: RIFF size " + riffSize + " leaves no room for a chunk");
        }
        int end = (int) riffSize + 8;
        int pos = HEADER;
        String first = fourcc(b, pos);
        long size = chunkSize(b, pos, end);
        int payload = pos + 8;
        switch (first) {
            case "VP8 " -> {
                int[] wh = vp8Size(b, payload, (int) size);
                return new WebpContainer(wh[0], wh[1], 0, 0, wh[0], wh[1], false, payload, (int) size, false, 0);
            }
            case "VP8L" -> {
                int[] wh = vp8lSize(b, payload, (int) size);
                return new WebpContainer(wh[0], wh[1], 0, 0, wh[0], wh[1], true, payload, (int) size, false, 0);
            }
            case "VP8X" -> {
                if (size < 10) {
                    throw new IIOException("WebP VP8X chunk too short");
                }
                int canvasW = 1 + u24(b, payload + 4);
                int canvasH = 1 + u24(b, payload + 7);
                return extended(b, next(pos, size), end, canvasW, canvasH);
            }
            default -> throw new IIOException("WebP file starts with an unknown chunk '" + first + "'");
        }
    }

    private static WebpContainer extended(byte[] b, int pos, int end, int canvasW, int canvasH) throws IIOException {
        boolean alpha = false;
        while (pos + 8 <= end) {
            String type = fourcc(b, pos);
            long size = chunkSize(b, pos, end);
            int payload = pos + 8;
            switch (type) {
                case "ALPH" -> alpha = true;
                case "VP8 " -> {
                    int[] wh = vp8Size(b, payload, (int) size);
                    requireCanvas(wh, canvasW, canvasH);
                    return new WebpContainer(canvasW, canvasH, 0, 0, wh[0], wh[1], false, payload, (int) size, alpha, 0);
                }
                case "VP8L" -> {
                    int[] wh = vp8lSize(b, payload, (int) size);
                    requireCanvas(wh, canvasW, canvasH);
                    return new WebpContainer(canvasW, canvasH, 0, 0, wh[0], wh[1], true, payload, (int) size, false, 0);
                }
                case "ANMF" -> {
                    return frame(b, payload, payload + (int) size, canvasW, canvasH);
                }
                default -> {
                    // ICCP, ANIM, EXIF, XMP, unknown: nothing frame 0 needs
                }
            }
            pos = next(pos, size);
        }
        throw new IIOException("WebP file has no image data");
    }

    private static WebpContainer frame(byte[] b, int start, int end, int canvasW, int canvasH) throws IIOException {
        if (end - start < 16) {
            throw new IIOException("WebP ANMF chunk too short");
        }
        int x = 2 * u24(b, start);
        int y = 2 * u24(b, start + 3);
        int w = 1 + u24(b, start + 6);
        int h = 1 + u24(b, start + 9);
        if ((long) x + w > canvasW || (long) y + h > canvasH) {
            throw new IIOException("WebP frame 0 lies outside the canvas");
        }
        boolean alpha = false;
        int pos = start + 16;
        while (pos + 8 <= end) {
            String type = fourcc(b, pos);
            long size = chunkSize(b, pos, end);
            int payload = pos + 8;
            switch (type) {
                case "ALPH" -> alpha = true;
                case "VP8 " -> {
                    int[] wh = vp8Size(b, payload, (int) size);
                    requireSize(wh, w, h);
                    return new WebpContainer(canvasW, canvasH, x, y, w, h, false, payload, (int) size, alpha, start + 16);
                }
                case "VP8L" -> {
                    int[] wh = vp8lSize(b, payload, (int) size);
                    requireSize(wh, w, h);
                    return new WebpContainer(canvasW, canvasH, x, y, w, h, true, payload, (int) size, false, start + 16);
                }
                default -> {
                }
            }
            pos = next(pos, size);
        }
        throw new IIOException("WebP frame 0 has no image data");
    }

    private static void requireCanvas(int[] wh, int canvasW, int canvasH) throws IIOException {
        if (wh[0] != canvasW || wh[1] != canvasH) {
            throw new IIOException("corrupt WebP file: VP8X canvas " + canvasW + "x" + canvasH
                    + " differs from the frame " + wh[0] + "x" + wh[1]);
        }
    }

    private static void requireSize(int[] wh, int w, int h) throws IIOException {
        if (wh[0] != w || wh[1] != h) {
            throw new IIOException("WebP bitstream is " + wh[0] + "x" + wh[1] + " but its frame is " + w + "x" + h);
        }
    }

    /** Width and height from a VP8 key frame header (RFC 6386, 9.1), checked like libwebp's VP8GetInfo. */
    private static int[] vp8Size(byte[] b, int start, int length) throws IIOException {
        if (length < 10) {
            throw new IIOException("VP8 data too short for a frame header");
        }
        int tag = u24(b, start);
        if ((tag & 1) != 0) {
            throw new IIOException("VP8 frame is not a key frame");
        }
        if (((tag >> 1) & 7) > 3) {
            throw new IIOException("VP8 frame has an unknown profile");
        }
        if (((tag >> 4) & 1) == 0) {
            throw new IIOException("VP8 frame is not displayable");
        }
        if ((b[start + 3] & 0xFF) != 0x9d || (b[start + 4] & 0xFF) != 0x01 || (b[start + 5] & 0xFF) != 0x2a) {
            throw new IIOException("VP8 start code missing");
        }
        int width = ((b[start + 7] & 0xFF) << 8 | (b[start + 6] & 0xFF)) & 0x3fff;
        int height = ((b[start + 9] & 0xFF) << 8 | (b[start + 8] & 0xFF)) & 0x3fff;
        if (width == 0 || height == 0) {
            throw new IIOException("VP8 frame has a zero dimension");
        }
        if ((tag >>> 5) >= length) {
            throw new IIOException("VP8 first partition is longer than the data");
        }
        return new int[] {width, height};
    }

    private static int[] vp8lSize(byte[] b, int at, int size) throws IIOException {
        if (size < 5 || (b[at] & 0xFF) != 0x2f) {
            throw new IIOException("WebP VP8L signature missing");
        }
        long bits = u32(b, at + 1);
        int w = (int) (bits & 0x3fff) + 1;
        int h = (int) ((bits >> 14) & 0x3fff) + 1;
        return new int[] {w, h};
    }

    private static long chunkSize(byte[] b, int pos, int end) throws IIOException {
        long size = u32(b, pos + 4);
        if (pos + 8 + size > end) {
            throw new IIOException("WebP chunk '" + fourcc(b, pos) + "' runs past the end of the file (truncated)");
        }
        return size;
    }

    private static int next(int pos, long size) {
        return (int) (pos + 8 + size + (size & 1));
    }

    private static String fourcc(byte[] b, int at) {
        char[] c = new char[4];
        for (int i = 0; i < 4; i++) {
            int v = b[at + i] & 0xFF;
            c[i] = v >= 0x20 && v < 0x7F ? (char) v : '?';
        }
        return new String(c);
    }

    private static void putFourcc(byte[] b, int at, String fourcc) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) fourcc.charAt(i);
        }
    }

    private static void putLe(byte[] b, int at, long value, int bytes) {
        for (int i = 0; i < bytes; i++) {
            b[at + i] = (byte) (value >>> (8 * i));
        }
    }

    private static int u24(byte[] b, int at) {
        return (b[at] & 0xFF) | ((b[at + 1] & 0xFF) << 8) | ((b[at + 2] & 0xFF) << 16);
    }

    private static long u32(byte[] b, int at) {
        return (b[at] & 0xFFL) | ((b[at + 1] & 0xFFL) << 8) | ((b[at + 2] & 0xFFL) << 16) | ((b[at + 3] & 0xFFL) << 24);
    }
}
