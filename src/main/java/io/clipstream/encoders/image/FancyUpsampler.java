package io.clipstream.encoders.image;

/**
 * Turns 4:2:0 VP8 planes into RGB exactly as libwebp does by default ("fancy" upsampling), so that
 * our pixels match what PIL (which uses libwebp) feeds the reference model.
 *
 * <p>libwebp interpolates each chroma sample position from the four nearest half-resolution samples
 * with weights 9/16, 3/16, 3/16, 1/16, using a specific integer evaluation order; the rounding of that
 * order and of libwebp's fixed-point YUV-to-RGB conversion is reproduced here bit for bit. The pieces
 * mirror, in libwebp 1.x:
 * <ul>
 *   <li>{@link #emitRows} - {@code EmitFancyRGB} (src/dec/io_dec.c) for a frame decoded in one go: the
 *       first row and, for even heights, the last row are upsampled against themselves;</li>
 *   <li>{@link #upsampleLinePair} - the {@code UPSAMPLE_FUNC} macro behind {@code UpsampleRgbLinePair_C}
 *       (src/dsp/upsampling.c), including its packed two-channel arithmetic ({@code LOAD_UV});</li>
 *   <li>{@link #yuvToRgb} - {@code VP8YuvToRgb} with {@code MultHi} and {@code VP8Clip8} (src/dsp/yuv.h).</li>
 * </ul>
 */
final class FancyUpsampler {

    private FancyUpsampler() {
    }

    /** Writes the frame as 0x00RRGGBB pixels, row-major, into {@code out} (width * height ints). */
    static void toRgb(Vp8Planes planes, int[] out) {
        if (out.length != planes.width() * planes.height()) {
            throw new IllegalArgumentException("output holds " + out.length + " pixels, frame has "
                    + planes.width() + "x" + planes.height());
        }
        emitRows(planes, out);
    }

    private static void emitRows(Vp8Planes p, int[] out) {
        int width = p.width();
        int height = p.height();
        int uvStride = p.chromaWidth();
        // Row 0 has no chroma row above it: libwebp passes chroma row 0 as both "top" and "current".
        upsampleLinePair(p, 0, -1, 0, 0, out, width);
        // Then output rows come in pairs (2k+1, 2k+2), lying between chroma rows k and k+1.
        int y = 0;
        for (; y + 2 < height; y += 2) {
            int topUv = (y / 2) * uvStride;
            upsampleLinePair(p, y + 1, y + 2, topUv, topUv + uvStride, out, width);
        }
        // An even height leaves the last row alone below the last chroma row, which is mirrored again.
        if ((height & 1) == 0) {
            int lastUv = (height / 2 - 1) * uvStride;
            upsampleLinePair(p, height - 1, -1, lastUv, lastUv, out, width);
        }
    }

    /**
     * Writes output row {@code topRow} and, unless {@code bottomRow} is -1, {@code bottomRow}, where
     * {@code topRow} is nearer chroma row {@code topUv} and {@code bottomRow} nearer {@code curUv}
     * (both given as offsets into the chroma planes).
     *
     * <p>U and V travel together in one int, U in the low and V in the high 16 bits, as libwebp's
     * {@code LOAD_UV} does: every intermediate stays at or below 2^11 per half, so no carry crosses
     * between the halves, and the high half's bits shifted into the low half are masked off at the
     * end; the result equals libwebp's uint32 arithmetic.
     */
    private static void upsampleLinePair(Vp8Planes p, int topRow, int bottomRow, int topUv, int curUv,
                                         int[] out, int len) {
        byte[] u = p.u();
        byte[] v = p.v();
        byte[] luma = p.y();
        int topY = topRow * len;
        int bottomY = bottomRow * len;
        boolean hasBottom = bottomRow >= 0;
        int lastPixelPair = (len - 1) >> 1;

        int tlUv = loadUv(u, v, topUv);   // top-left sample
        int lUv = loadUv(u, v, curUv);    // left sample
        int first = (3 * tlUv + lUv + 0x00020002) >>> 2;
        out[topY] = yuvToRgb(luma[topY] & 0xff, first);
        if (hasBottom) {
            int firstBottom = (3 * lUv + tlUv + 0x00020002) >>> 2;
            out[bottomY] = yuvToRgb(luma[bottomY] & 0xff, firstBottom);
        }
        for (int x = 1; x <= lastPixelPair; x++) {
            int tUv = loadUv(u, v, topUv + x);  // top sample
            int uv = loadUv(u, v, curUv + x);   // current sample
            // libwebp precomputes the two diagonal mixes once per 2x2 output block.
            int avg = tlUv + tUv + lUv + uv + 0x00080008;
            int diag12 = (avg + 2 * (tUv + lUv)) >>> 3;
            int diag03 = (avg + 2 * (tlUv + uv)) >>> 3;
            out[topY + 2 * x - 1] = yuvToRgb(luma[topY + 2 * x - 1] & 0xff, (diag12 + tlUv) >>> 1);
            out[topY + 2 * x] = yuvToRgb(luma[topY + 2 * x] & 0xff, (diag03 + tUv) >>> 1);
            if (hasBottom) {
                out[bottomY + 2 * x - 1] = yuvToRgb(luma[bottomY + 2 * x - 1] & 0xff, (diag03 + lUv) >>> 1);
                out[bottomY + 2 * x] = yuvToRgb(luma[bottomY + 2 * x] & 0xff, (diag12 + uv) >>> 1);
            }
            tlUv = tUv;
            lUv = uv;
        }
        // An even width leaves the last column alone to the right of the last chroma column.
        if ((len & 1) == 0) {
            int last = (3 * tlUv + lUv + 0x00020002) >>> 2;
            out[topY + len - 1] = yuvToRgb(luma[topY + len - 1] & 0xff, last);
            if (hasBottom) {
                int lastBottom = (3 * lUv + tlUv + 0x00020002) >>> 2;
                out[bottomY + len - 1] = yuvToRgb(luma[bottomY + len - 1] & 0xff, lastBottom);
            }
        }
    }

    private static int loadUv(byte[] u, byte[] v, int at) {
        return (u[at] & 0xff) | (v[at] & 0xff) << 16;
    }

    /** {@code VP8YuvToRgb}: libwebp's 14-bit fixed-point BT.601 conversion, packed as 0x00RRGGBB. */
    private static int yuvToRgb(int y, int packedUv) {
        int u = packedUv & 0xff;
        int v = packedUv >>> 16;
        int luma = mulHi(y, 19077);
        int r = clip8(luma + mulHi(v, 26149) - 14234);
        int g = clip8(luma - mulHi(u, 6419) - mulHi(v, 13320) + 8708);
        int b = clip8(luma + mulHi(u, 33050) - 17685);
        return r << 16 | g << 8 | b;
    }

    /** {@code MultHi}: emulates SSE2's {@code _mm_mulhi_epu16} on an 8-bit value shifted left by 8. */
    private static int mulHi(int value, int coeff) {
        return (value * coeff) >> 8;
    }

    /** {@code VP8Clip8}: drops the 6 fractional bits, saturating anything outside [0, 255]. */
    private static int clip8(int v) {
        return (v & ~16383) == 0 ? v >> 6 : (v < 0 ? 0 : 255);
    }
}
