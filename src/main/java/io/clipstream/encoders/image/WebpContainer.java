package io.clipstream.encoders.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Where the pieces of a still, lossy WebP file are: the RIFF container is parsed here (and the VP8
 * frame header peeked at) so that sizes are known and checked before anything is decoded.
 *
 * <p>The rules follow libwebp's {@code ParseHeadersInternal} (src/dec/webp_dec.c): a RIFF size larger
 * than the data is a truncated file, trailing bytes after the RIFF payload are ignored, and a VP8X
 * canvas must have exactly the size of the VP8 frame it holds.
 *
 * @param vp8Offset offset of the VP8 chunk's payload (the frame tag) in the file
 * @param vp8Length length of that payload
 * @param width     frame width from the VP8 frame header
 * @param height    frame height from the VP8 frame header
 * @param hasAlpha  whether an ALPH chunk accompanies the frame
 */
record WebpContainer(int vp8Offset, int vp8Length, int width, int height, boolean hasAlpha) {

    private static final int RIFF_HEADER = 12;
    private static final int CHUNK_HEADER = 8;
    private static final int VP8_FRAME_HEADER = 10;
    private static final int VP8X_ANIMATION_FLAG = 0x02;

    /** True for a RIFF/WEBP file whose image is a single lossy VP8 frame, plain or inside VP8X. */
    static boolean isLossy(byte[] webp) {
        try {
            parse(webp);
            return true;
        } catch (IOException notLossy) {
            return false;
        }
    }

    static WebpContainer parse(byte[] webp) throws IOException {
        if (webp.length < RIFF_HEADER + CHUNK_HEADER || !fourCc(webp, 0).equals("RIFF") || !fourCc(webp, 8).equals("WEBP")) {
            throw new IOException("not a WebP file: it does not start with a RIFF/WEBP header");
        }
        long riffSize = le32(webp, 4);
        if (riffSize < 4 + CHUNK_HEADER || riffSize > webp.length - CHUNK_HEADER) {
            throw new IOException("truncated or corrupt WebP file: RIFF header declares " + riffSize
                    + " bytes but only " + (webp.length - CHUNK_HEADER) + " follow it");
        }
        int end = (int) riffSize + CHUNK_HEADER;

        String first = fourCc(webp, RIFF_HEADER);
        if (first.equals("VP8 ")) {
            return withFrameHeader(webp, RIFF_HEADER, end, false, -1, -1);
        }
        if (!first.equals("VP8X")) {
            throw new IOException("not a lossy WebP: first chunk is '" + first.strip() + "' (VP8L is lossless)");
        }
        long vp8xSize = le32(webp, RIFF_HEADER + 4);
        if (vp8xSize < 10 || RIFF_HEADER + CHUNK_HEADER + vp8xSize > end) {
            throw new IOException("corrupt WebP file: VP8X chunk of " + vp8xSize + " bytes");
        }
        int flagsAt = RIFF_HEADER + CHUNK_HEADER;
        if ((webp[flagsAt] & VP8X_ANIMATION_FLAG) != 0) {
            throw new IOException("not a still lossy WebP: the file is animated");
        }
        int canvasWidth = le24(webp, flagsAt + 4) + 1;
        int canvasHeight = le24(webp, flagsAt + 7) + 1;

        boolean alpha = false;
        int at = RIFF_HEADER;
        while (at + CHUNK_HEADER <= end) {
            String id = fourCc(webp, at);
            long size = le32(webp, at + 4);
            if (at + CHUNK_HEADER + size > end) {
                throw new IOException("truncated WebP file: chunk '" + id.strip() + "' at offset " + at
                        + " declares " + size + " bytes past the end of the data");
            }
            switch (id) {
                case "ALPH" -> alpha = true;
                case "VP8 " -> {
                    return withFrameHeader(webp, at, end, alpha, canvasWidth, canvasHeight);
                }
                case "VP8L" -> throw new IOException("not a lossy WebP: the image chunk is VP8L (lossless)");
                default -> { }
            }
            at += CHUNK_HEADER + (int) size + (int) (size & 1);
        }
        throw new IOException("corrupt WebP file: VP8X container without an image chunk");
    }

    private static WebpContainer withFrameHeader(byte[] webp, int chunkAt, int end, boolean alpha,
                                                 int canvasWidth, int canvasHeight) throws IOException {
        long size = le32(webp, chunkAt + 4);
        int payload = chunkAt + CHUNK_HEADER;
        if (payload + size > end) {
            throw new IOException("truncated WebP file: VP8 chunk declares " + size + " bytes, "
                    + (end - payload) + " present");
        }
        if (size < VP8_FRAME_HEADER) {
            throw new IOException("corrupt WebP file: VP8 chunk of " + size + " bytes is shorter than a frame header");
        }
        // RFC 6386 section 9.1: 3-byte frame tag, start code 9d 01 2a, then 14-bit width and height.
        int tag = (webp[payload] & 0xff) | (webp[payload + 1] & 0xff) << 8 | (webp[payload + 2] & 0xff) << 16;
        if ((tag & 1) != 0) {
            throw new IOException("corrupt WebP file: the VP8 frame is not a key frame");
        }
        int firstPartition = tag >>> 5;
        if ((webp[payload + 3] & 0xff) != 0x9d || (webp[payload + 4] & 0xff) != 0x01 || (webp[payload + 5] & 0xff) != 0x2a) {
            throw new IOException("corrupt WebP file: bad VP8 start code");
        }
        int width = ((webp[payload + 6] & 0xff) | (webp[payload + 7] & 0xff) << 8) & 0x3fff;
        int height = ((webp[payload + 8] & 0xff) | (webp[payload + 9] & 0xff) << 8) & 0x3fff;
        if (width == 0 || height == 0) {
            throw new IOException("corrupt WebP file: VP8 frame of " + width + "x" + height + " pixels");
        }
        if (firstPartition > size - VP8_FRAME_HEADER) {
            throw new IOException("truncated WebP file: VP8 first partition of " + firstPartition
                    + " bytes does not fit in a chunk of " + size);
        }
        if (canvasWidth >= 0 && (canvasWidth != width || canvasHeight != height)) {
            throw new IOException("corrupt WebP file: VP8X canvas " + canvasWidth + "x" + canvasHeight
                    + " differs from the VP8 frame " + width + "x" + height);
        }
        return new WebpContainer(payload, (int) size, width, height, alpha);
    }

    private static String fourCc(byte[] data, int at) {
        return new String(data, at, 4, StandardCharsets.ISO_8859_1);
    }

    private static long le32(byte[] data, int at) {
        return (data[at] & 0xffL) | (data[at + 1] & 0xffL) << 8 | (data[at + 2] & 0xffL) << 16 | (data[at + 3] & 0xffL) << 24;
    }

    private static int le24(byte[] data, int at) {
        return (data[at] & 0xff) | (data[at + 1] & 0xff) << 8 | (data[at + 2] & 0xff) << 16;
    }
}
