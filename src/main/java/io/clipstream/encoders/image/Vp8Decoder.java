package io.clipstream.encoders.image;

import static io.clipstream.encoders.image.Vp8Tables.AC_TABLE;
import static io.clipstream.encoders.image.Vp8Tables.BANDS;
import static io.clipstream.encoders.image.Vp8Tables.BMODES_PROBA;
import static io.clipstream.encoders.image.Vp8Tables.CAT3456;
import static io.clipstream.encoders.image.Vp8Tables.COEFFS_PROBA_0;
import static io.clipstream.encoders.image.Vp8Tables.COEFFS_UPDATE_PROBA;
import static io.clipstream.encoders.image.Vp8Tables.DC_TABLE;
import static io.clipstream.encoders.image.Vp8Tables.NUM_BANDS;
import static io.clipstream.encoders.image.Vp8Tables.NUM_CTX;
import static io.clipstream.encoders.image.Vp8Tables.NUM_PROBAS;
import static io.clipstream.encoders.image.Vp8Tables.NUM_TYPES;
import static io.clipstream.encoders.image.Vp8Tables.ZIGZAG;

import javax.imageio.IIOException;

/**
 * Decoder for a VP8 key frame (the lossy WebP bitstream) to Y, U and V planes ({@link Vp8Planes},
 * which {@link FancyUpsampler} turns into RGB), following
 * libwebp's decoder (src/dec/vp8_dec.c, tree_dec.c, quant_dec.c, frame_dec.c, src/dsp/dec.c;
 * Copyright 2010 Google Inc., BSD licence) so that the samples are the ones Pillow gets.
 *
 * <p>Why not TwelveMonkeys' VP8 decoder: its planes are reachable only through reflection on its
 * internals, and even in 3.15.0 its loop filter differs from libwebp (a frame without segmentation
 * is not filtered at all, segment strengths are ignored when loop-filter deltas are on), so some
 * ordinary cwebp/libwebp files come out several levels off. This port matches dwebp/Pillow bit for
 * bit on every variant tried: qualities 0..100, methods 0..6, simple and normal filters,
 * sharpness 0..7, 1..4 segments, odd sizes down to 1x1. Left out as libwebp's defaults leave them out: dithering, cropping, scaling,
 * threads. The frame is reconstructed whole from unfiltered neighbours (libwebp keeps unfiltered
 * copies of the top and left samples for prediction), then loop-filtered in macroblock order.
 */
final class Vp8Decoder {

    // libwebp's prediction modes.
    private static final int B_DC_PRED = 0;
    private static final int B_TM_PRED = 1;
    private static final int B_VE_PRED = 2;
    private static final int B_HE_PRED = 3;
    private static final int B_RD_PRED = 4;
    private static final int B_VR_PRED = 5;
    private static final int B_LD_PRED = 6;
    private static final int B_VL_PRED = 7;
    private static final int B_HD_PRED = 8;
    private static final int B_HU_PRED = 9;
    private static final int DC_PRED_NOTOP = 4;
    private static final int DC_PRED_NOLEFT = 5;
    private static final int DC_PRED_NOTOPLEFT = 6;
    private static final int NUM_MB_SEGMENTS = 4;

    // The prediction work area, laid out like libwebp's yuv_b_: one row and one column of
    // context around a 16x16 luma block (plus 4 columns of top-right) and two 8x8 chroma blocks.
    private static final int BPS = 32;
    private static final int Y_OFF = BPS + 8;
    private static final int U_OFF = Y_OFF + BPS * 16 + BPS;
    private static final int V_OFF = U_OFF + 16;
    private static final int YUV_SIZE = BPS * 17 + BPS * 9;
    private static final int[] SCAN = {
        0, 4, 8, 12,
        4 * BPS, 4 + 4 * BPS, 8 + 4 * BPS, 12 + 4 * BPS,
        8 * BPS, 4 + 8 * BPS, 8 + 8 * BPS, 12 + 8 * BPS,
        12 * BPS, 4 + 12 * BPS, 8 + 12 * BPS, 12 + 12 * BPS,
    };

    /** Reads the picture size from a VP8 bitstream header, or throws if it is not a usable key frame. */
    static int[] size(byte[] b, int start, int length) throws IIOException {
        if (length < 10) {
            throw new IIOException("VP8 data too short for a frame header");
        }
        int tag = (b[start] & 0xFF) | ((b[start + 1] & 0xFF) << 8) | ((b[start + 2] & 0xFF) << 16);
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

    // ---- header state ----
    private final byte[] data;
    private int width;
    private int height;
    private int mbW;
    private int mbH;
    private Vp8BoolDecoder br;
    private Vp8BoolDecoder[] parts;
    private int numPartsMinusOne;

    private boolean useSegment;
    private boolean updateMap;
    private boolean absoluteDelta = true;
    private final int[] quantizer = new int[NUM_MB_SEGMENTS];
    private final int[] filterStrength = new int[NUM_MB_SEGMENTS];
    private final int[] segmentProba = {255, 255, 255};

    private boolean simpleFilter;
    private int filterLevel;
    private int sharpness;
    private boolean useLfDelta;
    private final int[] refLfDelta = new int[4];
    private final int[] modeLfDelta = new int[4];
    private int filterType;

    // Dequantisation factors per segment: [DC, AC] for Y1, Y2 and UV.
    private final int[][] y1Mat = new int[NUM_MB_SEGMENTS][2];
    private final int[][] y2Mat = new int[NUM_MB_SEGMENTS][2];
    private final int[][] uvMat = new int[NUM_MB_SEGMENTS][2];

    private final int[][][][] proba = new int[NUM_TYPES][NUM_BANDS][NUM_CTX][NUM_PROBAS];
    private boolean useSkipProba;
    private int skipP;

    // Loop filter parameters per [segment][is_i4x4]: limit, interior limit, hev threshold, inner.
    private final int[][] fLimit = new int[NUM_MB_SEGMENTS][2];
    private final int[][] fILevel = new int[NUM_MB_SEGMENTS][2];
    private final int[][] fHevThresh = new int[NUM_MB_SEGMENTS][2];

    // ---- per-row decoding state ----
    private int[] intraT;           // 4 modes per macroblock column, from the row above
    private final int[] intraL = new int[4];
    private int[] nzTop;            // non-zero flags of the row above, per column
    private int[] nzDcTop;
    private int nzLeft;
    private int nzDcLeft;

    // Per macroblock of the current row.
    private int[] mbSegment;
    private boolean[] mbSkip;
    private boolean[] mbIsI4x4;
    private int[][] mbModes;        // 16 sub-block modes, or the 16x16 mode in [0]
    private int[] mbUvMode;
    private short[][] mbCoeffs;     // 384 coefficients
    private int[] mbNonZeroY;
    private int[] mbNonZeroUv;

    // Per macroblock of the whole frame: loop filter parameters, applied after reconstruction.
    private int[] frameFLimit;
    private int[] frameFILevel;
    private int[] frameFHev;
    private boolean[] frameFInner;

    private byte[] yPlane;
    private byte[] uPlane;
    private byte[] vPlane;
    private int yStride;
    private int uvStride;
    private final int[] ws = new int[YUV_SIZE];

    private Vp8Decoder(byte[] data) {
        this.data = data;
    }

    /** Decodes the VP8 bitstream at {@code data[start .. start+length)} to planes cropped to the picture. */
    static Vp8Planes decode(byte[] data, int start, int length) throws IIOException {
        Vp8Decoder decoder = new Vp8Decoder(data);
        decoder.parseHeaders(start, length);
        decoder.decodeFrame();
        return decoder.croppedPlanes();
    }

    /** The decoded planes cover whole macroblocks; the picture is their top-left width x height. */
    private Vp8Planes croppedPlanes() {
        int chromaWidth = (width + 1) / 2;
        int chromaHeight = (height + 1) / 2;
        byte[] y = new byte[width * height];
        byte[] u = new byte[chromaWidth * chromaHeight];
        byte[] v = new byte[u.length];
        for (int row = 0; row < height; row++) {
            System.arraycopy(yPlane, row * yStride, y, row * width, width);
        }
        for (int row = 0; row < chromaHeight; row++) {
            System.arraycopy(uPlane, row * uvStride, u, row * chromaWidth, chromaWidth);
            System.arraycopy(vPlane, row * uvStride, v, row * chromaWidth, chromaWidth);
        }
        return new Vp8Planes(width, height, y, u, v);
    }

    // ------------------------------------------------------------------ headers

    private void parseHeaders(int start, int length) throws IIOException {
        int[] size = size(data, start, length);
        width = size[0];
        height = size[1];
        int tag = (data[start] & 0xFF) | ((data[start + 1] & 0xFF) << 8) | ((data[start + 2] & 0xFF) << 16);
        int partitionLength = tag >>> 5;
        int pos = start + 10;
        int remaining = length - 10;
        mbW = (width + 15) >> 4;
        mbH = (height + 15) >> 4;
        if (partitionLength > remaining) {
            throw new IIOException("VP8 bad partition length");
        }
        br = new Vp8BoolDecoder(data, pos, partitionLength);
        pos += partitionLength;
        remaining -= partitionLength;

        br.get(); // colour space: ignored, as libwebp does
        br.get(); // clamping type: libwebp always clamps
        parseSegmentHeader();
        if (br.eof) {
            throw new IIOException("VP8 cannot parse segment header");
        }
        parseFilterHeader();
        if (br.eof) {
            throw new IIOException("VP8 cannot parse filter header");
        }
        parsePartitions(pos, remaining);
        parseQuant();
        br.get(); // update_proba: ignored for key frames
        parseProba();
    }

    private void parseSegmentHeader() {
        useSegment = br.get();
        if (useSegment) {
            updateMap = br.get();
            if (br.get()) { // update data
                absoluteDelta = br.get();
                for (int s = 0; s < NUM_MB_SEGMENTS; s++) {
                    quantizer[s] = br.get() ? br.getSignedValue(7) : 0;
                }
                for (int s = 0; s < NUM_MB_SEGMENTS; s++) {
                    filterStrength[s] = br.get() ? br.getSignedValue(6) : 0;
                }
            }
            if (updateMap) {
                for (int s = 0; s < 3; s++) {
                    segmentProba[s] = br.get() ? br.getValue(8) : 255;
                }
            }
        } else {
            updateMap = false;
        }
    }

    private void parseFilterHeader() {
        simpleFilter = br.get();
        filterLevel = br.getValue(6);
        sharpness = br.getValue(3);
        useLfDelta = br.get();
        if (useLfDelta && br.get()) {
            for (int i = 0; i < 4; i++) {
                if (br.get()) {
                    refLfDelta[i] = br.getSignedValue(6);
                }
            }
            for (int i = 0; i < 4; i++) {
                if (br.get()) {
                    modeLfDelta[i] = br.getSignedValue(6);
                }
            }
        }
        filterType = filterLevel == 0 ? 0 : simpleFilter ? 1 : 2;
    }

    private void parsePartitions(int start, int size) throws IIOException {
        numPartsMinusOne = (1 << br.getValue(2)) - 1;
        int lastPart = numPartsMinusOne;
        if (size < 3 * lastPart) {
            throw new IIOException("VP8 cannot parse partitions");
        }
        int sizes = start;
        int partStart = start + lastPart * 3;
        int sizeLeft = size - lastPart * 3;
        int end = start + size;
        parts = new Vp8BoolDecoder[lastPart + 1];
        for (int p = 0; p < lastPart; p++) {
            int psize = (data[sizes] & 0xFF) | ((data[sizes + 1] & 0xFF) << 8) | ((data[sizes + 2] & 0xFF) << 16);
            if (psize > sizeLeft) {
                psize = sizeLeft;
            }
            parts[p] = new Vp8BoolDecoder(data, partStart, psize);
            partStart += psize;
            sizeLeft -= psize;
            sizes += 3;
        }
        parts[lastPart] = new Vp8BoolDecoder(data, partStart, sizeLeft);
        if (partStart >= end) {
            throw new IIOException("VP8 cannot parse partitions (data truncated)");
        }
    }

    private static int clip(int v, int max) {
        return v < 0 ? 0 : Math.min(v, max);
    }

    private void parseQuant() {
        int baseQ0 = br.getValue(7);
        int dqy1Dc = br.get() ? br.getSignedValue(4) : 0;
        int dqy2Dc = br.get() ? br.getSignedValue(4) : 0;
        int dqy2Ac = br.get() ? br.getSignedValue(4) : 0;
        int dquvDc = br.get() ? br.getSignedValue(4) : 0;
        int dquvAc = br.get() ? br.getSignedValue(4) : 0;
        for (int i = 0; i < NUM_MB_SEGMENTS; i++) {
            int q;
            if (useSegment) {
                q = quantizer[i];
                if (!absoluteDelta) {
                    q += baseQ0;
                }
            } else if (i > 0) {
                y1Mat[i] = y1Mat[0];
                y2Mat[i] = y2Mat[0];
                uvMat[i] = uvMat[0];
                continue;
            } else {
                q = baseQ0;
            }
            y1Mat[i] = new int[] {DC_TABLE[clip(q + dqy1Dc, 127)], AC_TABLE[clip(q, 127)]};
            // x * 155 / 100 for x in [0, 284], as libwebp computes it
            int y2Ac = (AC_TABLE[clip(q + dqy2Ac, 127)] * 101581) >> 16;
            y2Mat[i] = new int[] {DC_TABLE[clip(q + dqy2Dc, 127)] * 2, Math.max(y2Ac, 8)};
            uvMat[i] = new int[] {DC_TABLE[clip(q + dquvDc, 117)], AC_TABLE[clip(q + dquvAc, 127)]};
        }
    }

    private void parseProba() {
        for (int t = 0; t < NUM_TYPES; t++) {
            for (int b = 0; b < NUM_BANDS; b++) {
                for (int c = 0; c < NUM_CTX; c++) {
                    for (int p = 0; p < NUM_PROBAS; p++) {
                        proba[t][b][c][p] = br.getBit(COEFFS_UPDATE_PROBA[t][b][c][p]) == 1
                                ? br.getValue(8) : COEFFS_PROBA_0[t][b][c][p];
                    }
                }
            }
        }
        useSkipProba = br.get();
        if (useSkipProba) {
            skipP = br.getValue(8);
        }
    }

    // ------------------------------------------------------------------ frame

    private void decodeFrame() throws IIOException {
        yStride = 16 * mbW;
        uvStride = 8 * mbW;
        yPlane = new byte[Math.multiplyExact(yStride, 16 * mbH)];
        uPlane = new byte[Math.multiplyExact(uvStride, 8 * mbH)];
        vPlane = new byte[uPlane.length];
        intraT = new int[4 * mbW];
        nzTop = new int[mbW];
        nzDcTop = new int[mbW];
        mbSegment = new int[mbW];
        mbSkip = new boolean[mbW];
        mbIsI4x4 = new boolean[mbW];
        mbModes = new int[mbW][16];
        mbUvMode = new int[mbW];
        mbCoeffs = new short[mbW][384];
        mbNonZeroY = new int[mbW];
        mbNonZeroUv = new int[mbW];
        int mbCount = Math.multiplyExact(mbW, mbH);
        frameFLimit = new int[mbCount];
        frameFILevel = new int[mbCount];
        frameFHev = new int[mbCount];
        frameFInner = new boolean[mbCount];
        precomputeFilterStrengths();
        initScanline();

        for (int mbY = 0; mbY < mbH; mbY++) {
            Vp8BoolDecoder tokens = parts[mbY & numPartsMinusOne];
            for (int mbX = 0; mbX < mbW; mbX++) {
                parseIntraMode(mbX);
            }
            if (br.eof) {
                throw new IIOException("VP8 premature end of partition 0");
            }
            for (int mbX = 0; mbX < mbW; mbX++) {
                decodeMacroblock(mbX, mbY, tokens);
                if (tokens.eof) {
                    throw new IIOException("VP8 premature end of coefficient data");
                }
            }
            initScanline();
            reconstructRow(mbY);
        }
        if (filterType > 0) {
            for (int mbY = 0; mbY < mbH; mbY++) {
                for (int mbX = 0; mbX < mbW; mbX++) {
                    filterMacroblock(mbX, mbY);
                }
            }
        }
    }

    private void initScanline() {
        nzLeft = 0;
        nzDcLeft = 0;
        java.util.Arrays.fill(intraL, B_DC_PRED);
    }

    private void precomputeFilterStrengths() {
        if (filterType == 0) {
            return;
        }
        for (int s = 0; s < NUM_MB_SEGMENTS; s++) {
            int baseLevel;
            if (useSegment) {
                baseLevel = filterStrength[s];
                if (!absoluteDelta) {
                    baseLevel += filterLevel;
                }
            } else {
                baseLevel = filterLevel;
            }
            for (int i4x4 = 0; i4x4 <= 1; i4x4++) {
                int level = baseLevel;
                if (useLfDelta) {
                    level += refLfDelta[0];
                    if (i4x4 == 1) {
                        level += modeLfDelta[0];
                    }
                }
                level = level < 0 ? 0 : Math.min(level, 63);
                if (level > 0) {
                    int ilevel = level;
                    if (sharpness > 0) {
                        ilevel >>= sharpness > 4 ? 2 : 1;
                        if (ilevel > 9 - sharpness) {
                            ilevel = 9 - sharpness;
                        }
                    }
                    if (ilevel < 1) {
                        ilevel = 1;
                    }
                    fILevel[s][i4x4] = ilevel;
                    fLimit[s][i4x4] = 2 * level + ilevel;
                    fHevThresh[s][i4x4] = level >= 40 ? 2 : level >= 15 ? 1 : 0;
                } else {
                    fLimit[s][i4x4] = 0;
                }
            }
        }
    }

    private void parseIntraMode(int mbX) {
        int top = 4 * mbX;
        if (updateMap) {
            mbSegment[mbX] = br.getBit(segmentProba[0]) == 0
                    ? br.getBit(segmentProba[1])
                    : br.getBit(segmentProba[2]) + 2;
        } else {
            mbSegment[mbX] = 0;
        }
        if (useSkipProba) {
            mbSkip[mbX] = br.getBit(skipP) == 1;
        }
        boolean isI4x4 = br.getBit(145) == 0;
        mbIsI4x4[mbX] = isI4x4;
        int[] modes = mbModes[mbX];
        if (!isI4x4) {
            int ymode = br.getBit(156) == 1
                    ? (br.getBit(128) == 1 ? B_TM_PRED : B_HE_PRED)
                    : (br.getBit(163) == 1 ? B_VE_PRED : B_DC_PRED);
            modes[0] = ymode;
            for (int i = 0; i < 4; i++) {
                intraT[top + i] = ymode;
                intraL[i] = ymode;
            }
        } else {
            for (int y = 0; y < 4; y++) {
                int ymode = intraL[y];
                for (int x = 0; x < 4; x++) {
                    int[] prob = BMODES_PROBA[intraT[top + x]][ymode];
                    ymode = br.getBit(prob[0]) == 0 ? B_DC_PRED
                            : br.getBit(prob[1]) == 0 ? B_TM_PRED
                            : br.getBit(prob[2]) == 0 ? B_VE_PRED
                            : br.getBit(prob[3]) == 0
                                    ? (br.getBit(prob[4]) == 0 ? B_HE_PRED
                                            : br.getBit(prob[5]) == 0 ? B_RD_PRED : B_VR_PRED)
                                    : (br.getBit(prob[6]) == 0 ? B_LD_PRED
                                            : br.getBit(prob[7]) == 0 ? B_VL_PRED
                                            : br.getBit(prob[8]) == 0 ? B_HD_PRED : B_HU_PRED);
                    intraT[top + x] = ymode;
                }
                System.arraycopy(intraT, top, modes, 4 * y, 4);
                intraL[y] = ymode;
            }
        }
        mbUvMode[mbX] = br.getBit(142) == 0 ? B_DC_PRED
                : br.getBit(114) == 0 ? B_VE_PRED
                : br.getBit(183) == 1 ? B_TM_PRED : B_HE_PRED;
    }

    // ------------------------------------------------------------------ residuals

    private void decodeMacroblock(int mbX, int mbY, Vp8BoolDecoder tokens) {
        boolean skip = useSkipProba && mbSkip[mbX];
        if (!skip) {
            skip = parseResiduals(mbX, tokens);
        } else {
            nzLeft = 0;
            nzTop[mbX] = 0;
            if (!mbIsI4x4[mbX]) {
                nzDcLeft = 0;
                nzDcTop[mbX] = 0;
            }
            mbNonZeroY[mbX] = 0;
            mbNonZeroUv[mbX] = 0;
        }
        if (filterType > 0) {
            int index = mbY * mbW + mbX;
            int segment = mbSegment[mbX];
            int i4x4 = mbIsI4x4[mbX] ? 1 : 0;
            frameFLimit[index] = fLimit[segment][i4x4];
            frameFILevel[index] = fILevel[segment][i4x4];
            frameFHev[index] = fHevThresh[segment][i4x4];
            frameFInner[index] = i4x4 == 1 || !skip;
        }
    }

    /** Returns true when the macroblock has no non-zero coefficient at all. */
    private boolean parseResiduals(int mbX, Vp8BoolDecoder tokens) {
        int segment = mbSegment[mbX];
        short[] dst = mbCoeffs[mbX];
        java.util.Arrays.fill(dst, (short) 0);
        int nonZeroY = 0;
        int nonZeroUv = 0;
        int first;
        int acType;
        if (!mbIsI4x4[mbX]) {
            short[] dc = new short[16];
            int ctx = nzDcTop[mbX] + nzDcLeft;
            int nz = getCoeffs(tokens, 1, ctx, y2Mat[segment], 0, dc, 0);
            int flag = nz > 0 ? 1 : 0;
            nzDcTop[mbX] = flag;
            nzDcLeft = flag;
            if (nz > 1) {
                transformWht(dc, dst);
            } else {
                int dc0 = (dc[0] + 3) >> 3;
                for (int i = 0; i < 16 * 16; i += 16) {
                    dst[i] = (short) dc0;
                }
            }
            first = 1;
            acType = 0;
        } else {
            first = 0;
            acType = 3;
        }

        int tnz = nzTop[mbX] & 0x0f;
        int lnz = nzLeft & 0x0f;
        int offset = 0;
        for (int y = 0; y < 4; y++) {
            int l = lnz & 1;
            int nzCoeffs = 0;
            for (int x = 0; x < 4; x++) {
                int ctx = l + (tnz & 1);
                int nz = getCoeffs(tokens, acType, ctx, y1Mat[segment], first, dst, offset);
                l = nz > first ? 1 : 0;
                tnz = (tnz >> 1) | (l << 7);
                nzCoeffs = nzCodeBits(nzCoeffs, nz, dst[offset] != 0 ? 1 : 0);
                offset += 16;
            }
            tnz >>= 4;
            lnz = (lnz >> 1) | (l << 7);
            nonZeroY = (nonZeroY << 8) | nzCoeffs;
        }
        int outTNz = tnz;
        int outLNz = lnz >> 4;

        for (int ch = 0; ch < 4; ch += 2) {
            int nzCoeffs = 0;
            tnz = nzTop[mbX] >> (4 + ch);
            lnz = nzLeft >> (4 + ch);
            for (int y = 0; y < 2; y++) {
                int l = lnz & 1;
                for (int x = 0; x < 2; x++) {
                    int ctx = l + (tnz & 1);
                    int nz = getCoeffs(tokens, 2, ctx, uvMat[segment], 0, dst, offset);
                    l = nz > 0 ? 1 : 0;
                    tnz = (tnz >> 1) | (l << 3);
                    nzCoeffs = nzCodeBits(nzCoeffs, nz, dst[offset] != 0 ? 1 : 0);
                    offset += 16;
                }
                tnz >>= 2;
                lnz = (lnz >> 1) | (l << 5);
            }
            nonZeroUv |= nzCoeffs << (4 * ch);
            outTNz |= (tnz << 4) << ch;
            outLNz |= (lnz & 0xf0) << ch;
        }
        nzTop[mbX] = outTNz & 0xFF;
        nzLeft = outLNz & 0xFF;
        mbNonZeroY[mbX] = nonZeroY;
        mbNonZeroUv[mbX] = nonZeroUv;
        return (nonZeroY | nonZeroUv) == 0;
    }

    private static int nzCodeBits(int nzCoeffs, int nz, int dcNz) {
        nzCoeffs <<= 2;
        nzCoeffs |= nz > 3 ? 3 : nz > 1 ? 2 : dcNz;
        return nzCoeffs;
    }

    /** GetCoeffs: tokens of one 4x4 block from position n; returns the last non-zero position + 1. */
    private int getCoeffs(Vp8BoolDecoder tokens, int type, int ctx, int[] dq, int n, short[] out, int outOffset) {
        int[][][] bands = proba[type];
        int[] p = bands[BANDS[n]][ctx];
        for (; n < 16; n++) {
            if (tokens.getBit(p[0]) == 0) {
                return n; // previous coefficient was the last non-zero one
            }
            while (tokens.getBit(p[1]) == 0) { // run of zero coefficients
                p = bands[BANDS[++n]][0];
                if (n == 16) {
                    return 16;
                }
            }
            int[][] next = bands[BANDS[n + 1]];
            int v;
            if (tokens.getBit(p[2]) == 0) {
                v = 1;
                p = next[1];
            } else {
                v = getLargeValue(tokens, p);
                p = next[2];
            }
            out[outOffset + ZIGZAG[n]] = (short) (tokens.getSigned(v) * dq[n > 0 ? 1 : 0]);
        }
        return 16;
    }

    private static int getLargeValue(Vp8BoolDecoder br, int[] p) {
        int v;
        if (br.getBit(p[3]) == 0) {
            if (br.getBit(p[4]) == 0) {
                v = 2;
            } else {
                v = 3 + br.getBit(p[5]);
            }
        } else {
            if (br.getBit(p[6]) == 0) {
                if (br.getBit(p[7]) == 0) {
                    v = 5 + br.getBit(159);
                } else {
                    v = 7 + 2 * br.getBit(165);
                    v += br.getBit(145);
                }
            } else {
                int bit1 = br.getBit(p[8]);
                int bit0 = br.getBit(p[9 + bit1]);
                int cat = 2 * bit1 + bit0;
                v = 0;
                for (int prob : CAT3456[cat]) {
                    v += v + br.getBit(prob);
                }
                v += 3 + (8 << cat);
            }
        }
        return v;
    }

    // ------------------------------------------------------------------ reconstruction

    private void reconstructRow(int mbY) {
        for (int mbX = 0; mbX < mbW; mbX++) {
            loadContext(mbX, mbY);
            short[] coeffs = mbCoeffs[mbX];
            int bits = mbNonZeroY[mbX];
            if (mbIsI4x4[mbX]) {
                int[] modes = mbModes[mbX];
                for (int n = 0; n < 16; n++, bits <<= 2) {
                    int dst = Y_OFF + SCAN[n];
                    predictLuma4(modes[n], dst);
                    doTransform(bits, coeffs, n * 16, dst);
                }
            } else {
                predictLuma16(checkMode(mbX, mbY, mbModes[mbX][0]), Y_OFF);
                if (bits != 0) {
                    for (int n = 0; n < 16; n++, bits <<= 2) {
                        doTransform(bits, coeffs, n * 16, Y_OFF + SCAN[n]);
                    }
                }
            }
            int bitsUv = mbNonZeroUv[mbX];
            int uvMode = checkMode(mbX, mbY, mbUvMode[mbX]);
            predictChroma8(uvMode, U_OFF);
            predictChroma8(uvMode, V_OFF);
            doUvTransform(bitsUv, coeffs, 16 * 16, U_OFF);
            doUvTransform(bitsUv >> 8, coeffs, 20 * 16, V_OFF);
            storeBlock(mbX, mbY);
        }
    }

    /**
     * Fills the context row and column of the work area from the (still unfiltered) planes, with
     * libwebp's edge values: 127 above the first row, 129 left of the first column.
     */
    private void loadContext(int mbX, int mbY) {
        int x0 = mbX * 16;
        int y0 = mbY * 16;
        for (int j = 0; j < 16; j++) {
            ws[Y_OFF + j * BPS - 1] = mbX > 0 ? yPlane[(y0 + j) * yStride + x0 - 1] & 0xFF : 129;
        }
        for (int j = 0; j < 8; j++) {
            int row = (mbY * 8 + j) * uvStride + mbX * 8 - 1;
            ws[U_OFF + j * BPS - 1] = mbX > 0 ? uPlane[row] & 0xFF : 129;
            ws[V_OFF + j * BPS - 1] = mbX > 0 ? vPlane[row] & 0xFF : 129;
        }
        if (mbY == 0) {
            for (int i = -1; i < 20; i++) {
                ws[Y_OFF - BPS + i] = 127;
            }
            for (int i = -1; i < 8; i++) {
                ws[U_OFF - BPS + i] = 127;
                ws[V_OFF - BPS + i] = 127;
            }
        } else {
            int above = (y0 - 1) * yStride + x0;
            int uvAbove = (mbY * 8 - 1) * uvStride + mbX * 8;
            ws[Y_OFF - BPS - 1] = mbX > 0 ? yPlane[above - 1] & 0xFF : 129;
            ws[U_OFF - BPS - 1] = mbX > 0 ? uPlane[uvAbove - 1] & 0xFF : 129;
            ws[V_OFF - BPS - 1] = mbX > 0 ? vPlane[uvAbove - 1] & 0xFF : 129;
            for (int i = 0; i < 16; i++) {
                ws[Y_OFF - BPS + i] = yPlane[above + i] & 0xFF;
            }
            for (int i = 0; i < 8; i++) {
                ws[U_OFF - BPS + i] = uPlane[uvAbove + i] & 0xFF;
                ws[V_OFF - BPS + i] = vPlane[uvAbove + i] & 0xFF;
            }
            // Above-right of the macroblock, for the 4x4 predictors; repeated at the right
            // edge of the picture.
            for (int i = 16; i < 20; i++) {
                ws[Y_OFF - BPS + i] = mbX >= mbW - 1 ? yPlane[above + 15] & 0xFF : yPlane[above + i] & 0xFF;
            }
        }
        // Sub-blocks on the right column use the macroblock's above-right pixels at every row.
        for (int r = 1; r <= 3; r++) {
            for (int i = 16; i < 20; i++) {
                ws[Y_OFF + (4 * r - 1) * BPS + i] = ws[Y_OFF - BPS + i];
            }
        }
    }

    private void storeBlock(int mbX, int mbY) {
        int x0 = mbX * 16;
        int y0 = mbY * 16;
        for (int j = 0; j < 16; j++) {
            int row = (y0 + j) * yStride + x0;
            for (int i = 0; i < 16; i++) {
                yPlane[row + i] = (byte) ws[Y_OFF + j * BPS + i];
            }
        }
        for (int j = 0; j < 8; j++) {
            int row = (mbY * 8 + j) * uvStride + mbX * 8;
            for (int i = 0; i < 8; i++) {
                uPlane[row + i] = (byte) ws[U_OFF + j * BPS + i];
                vPlane[row + i] = (byte) ws[V_OFF + j * BPS + i];
            }
        }
    }

    private static int checkMode(int mbX, int mbY, int mode) {
        if (mode == B_DC_PRED) {
            if (mbX == 0) {
                return mbY == 0 ? DC_PRED_NOTOPLEFT : DC_PRED_NOLEFT;
            }
            return mbY == 0 ? DC_PRED_NOTOP : B_DC_PRED;
        }
        return mode;
    }

    private void doTransform(int bits, short[] in, int inOffset, int dst) {
        switch (bits >>> 30) {
            case 3 -> transformOne(in, inOffset, dst);
            case 2 -> transformAc3(in, inOffset, dst);
            case 1 -> transformDc(in, inOffset, dst);
            default -> {
            }
        }
    }

    private void doUvTransform(int bits, short[] in, int inOffset, int dst) {
        if ((bits & 0xff) != 0) {
            if ((bits & 0xaa) != 0) {
                transformOne(in, inOffset, dst);
                transformOne(in, inOffset + 16, dst + 4);
                transformOne(in, inOffset + 32, dst + 4 * BPS);
                transformOne(in, inOffset + 48, dst + 4 * BPS + 4);
            } else {
                for (int k = 0; k < 4; k++) {
                    if (in[inOffset + k * 16] != 0) {
                        transformDc(in, inOffset + k * 16, dst + (k & 1) * 4 + (k >> 1) * 4 * BPS);
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ transforms (14.3, 14.4)

    private static int mul1(int a) {
        return ((a * 20091) >> 16) + a;
    }

    private static int mul2(int a) {
        return (a * 35468) >> 16;
    }

    private static int clip8(int v) {
        return (v & ~0xff) == 0 ? v : v < 0 ? 0 : 255;
    }

    private void store(int dst, int x, int y, int v) {
        int at = dst + x + y * BPS;
        ws[at] = clip8(ws[at] + (v >> 3));
    }

    private void transformOne(short[] in, int off, int dst) {
        int[] c = new int[16];
        for (int i = 0, t = 0; i < 4; i++, t += 4) {
            int a = in[off + i] + in[off + i + 8];
            int b = in[off + i] - in[off + i + 8];
            int cc = mul2(in[off + i + 4]) - mul1(in[off + i + 12]);
            int d = mul1(in[off + i + 4]) + mul2(in[off + i + 12]);
            c[t] = a + d;
            c[t + 1] = b + cc;
            c[t + 2] = b - cc;
            c[t + 3] = a - d;
        }
        for (int i = 0; i < 4; i++) {
            int dc = c[i] + 4;
            int a = dc + c[i + 8];
            int b = dc - c[i + 8];
            int cc = mul2(c[i + 4]) - mul1(c[i + 12]);
            int d = mul1(c[i + 4]) + mul2(c[i + 12]);
            int row = dst + i * BPS;
            store(row, 0, 0, a + d);
            store(row, 1, 0, b + cc);
            store(row, 2, 0, b - cc);
            store(row, 3, 0, a - d);
        }
    }

    private void transformAc3(short[] in, int off, int dst) {
        int a = in[off] + 4;
        int c4 = mul2(in[off + 4]);
        int d4 = mul1(in[off + 4]);
        int c1 = mul2(in[off + 1]);
        int d1 = mul1(in[off + 1]);
        store2(dst, 0, a + d4, d1, c1);
        store2(dst, 1, a + c4, d1, c1);
        store2(dst, 2, a - c4, d1, c1);
        store2(dst, 3, a - d4, d1, c1);
    }

    private void store2(int dst, int y, int dc, int d, int c) {
        store(dst, 0, y, dc + d);
        store(dst, 1, y, dc + c);
        store(dst, 2, y, dc - c);
        store(dst, 3, y, dc - d);
    }

    private void transformDc(short[] in, int off, int dst) {
        int dc = in[off] + 4;
        for (int j = 0; j < 4; j++) {
            for (int i = 0; i < 4; i++) {
                store(dst, i, j, dc);
            }
        }
    }

    private static void transformWht(short[] in, short[] out) {
        int[] tmp = new int[16];
        for (int i = 0; i < 4; i++) {
            int a0 = in[i] + in[12 + i];
            int a1 = in[4 + i] + in[8 + i];
            int a2 = in[4 + i] - in[8 + i];
            int a3 = in[i] - in[12 + i];
            tmp[i] = a0 + a1;
            tmp[8 + i] = a0 - a1;
            tmp[4 + i] = a3 + a2;
            tmp[12 + i] = a3 - a2;
        }
        for (int i = 0, o = 0; i < 4; i++, o += 64) {
            int dc = tmp[i * 4] + 3;
            int a0 = dc + tmp[3 + i * 4];
            int a1 = tmp[1 + i * 4] + tmp[2 + i * 4];
            int a2 = tmp[1 + i * 4] - tmp[2 + i * 4];
            int a3 = dc - tmp[3 + i * 4];
            out[o] = (short) ((a0 + a1) >> 3);
            out[o + 16] = (short) ((a3 + a2) >> 3);
            out[o + 32] = (short) ((a0 - a1) >> 3);
            out[o + 48] = (short) ((a3 - a2) >> 3);
        }
    }

    // ------------------------------------------------------------------ intra prediction (12)

    private int at(int dst, int x, int y) {
        return ws[dst + x + y * BPS];
    }

    private void put(int dst, int x, int y, int v) {
        ws[dst + x + y * BPS] = v;
    }

    private static int avg3(int a, int b, int c) {
        return (a + 2 * b + c + 2) >> 2;
    }

    private static int avg2(int a, int b) {
        return (a + b + 1) >> 1;
    }

    private void trueMotion(int dst, int size) {
        int topLeft = ws[dst - BPS - 1];
        for (int y = 0; y < size; y++) {
            int left = ws[dst + y * BPS - 1];
            for (int x = 0; x < size; x++) {
                ws[dst + y * BPS + x] = clip8(ws[dst - BPS + x] + left - topLeft);
            }
        }
    }

    private void fill(int dst, int size, int v) {
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                ws[dst + y * BPS + x] = v;
            }
        }
    }

    private void predictLuma16(int mode, int dst) {
        switch (mode) {
            case B_DC_PRED -> {
                int dc = 16;
                for (int j = 0; j < 16; j++) {
                    dc += ws[dst - 1 + j * BPS] + ws[dst + j - BPS];
                }
                fill(dst, 16, dc >> 5);
            }
            case B_TM_PRED -> trueMotion(dst, 16);
            case B_VE_PRED -> {
                for (int j = 0; j < 16; j++) {
                    System.arraycopy(ws, dst - BPS, ws, dst + j * BPS, 16);
                }
            }
            case B_HE_PRED -> {
                for (int j = 0; j < 16; j++) {
                    int left = ws[dst + j * BPS - 1];
                    for (int i = 0; i < 16; i++) {
                        ws[dst + j * BPS + i] = left;
                    }
                }
            }
            case DC_PRED_NOTOP -> {
                int dc = 8;
                for (int j = 0; j < 16; j++) {
                    dc += ws[dst - 1 + j * BPS];
                }
                fill(dst, 16, dc >> 4);
            }
            case DC_PRED_NOLEFT -> {
                int dc = 8;
                for (int i = 0; i < 16; i++) {
                    dc += ws[dst + i - BPS];
                }
                fill(dst, 16, dc >> 4);
            }
            default -> fill(dst, 16, 0x80); // DC_PRED_NOTOPLEFT
        }
    }

    private void predictChroma8(int mode, int dst) {
        switch (mode) {
            case B_DC_PRED -> {
                int dc = 8;
                for (int i = 0; i < 8; i++) {
                    dc += ws[dst + i - BPS] + ws[dst - 1 + i * BPS];
                }
                fill(dst, 8, dc >> 4);
            }
            case B_TM_PRED -> trueMotion(dst, 8);
            case B_VE_PRED -> {
                for (int j = 0; j < 8; j++) {
                    System.arraycopy(ws, dst - BPS, ws, dst + j * BPS, 8);
                }
            }
            case B_HE_PRED -> {
                for (int j = 0; j < 8; j++) {
                    int left = ws[dst + j * BPS - 1];
                    for (int i = 0; i < 8; i++) {
                        ws[dst + j * BPS + i] = left;
                    }
                }
            }
            case DC_PRED_NOTOP -> {
                int dc = 4;
                for (int i = 0; i < 8; i++) {
                    dc += ws[dst - 1 + i * BPS];
                }
                fill(dst, 8, dc >> 3);
            }
            case DC_PRED_NOLEFT -> {
                int dc = 4;
                for (int i = 0; i < 8; i++) {
                    dc += ws[dst + i - BPS];
                }
                fill(dst, 8, dc >> 3);
            }
            default -> fill(dst, 8, 0x80);
        }
    }

    private void predictLuma4(int mode, int dst) {
        int top = dst - BPS;
        switch (mode) {
            case B_DC_PRED -> {
                int dc = 4;
                for (int i = 0; i < 4; i++) {
                    dc += ws[top + i] + ws[dst - 1 + i * BPS];
                }
                fill(dst, 4, dc >> 3);
            }
            case B_TM_PRED -> trueMotion(dst, 4);
            case B_VE_PRED -> {
                int[] vals = {
                    avg3(ws[top - 1], ws[top], ws[top + 1]),
                    avg3(ws[top], ws[top + 1], ws[top + 2]),
                    avg3(ws[top + 1], ws[top + 2], ws[top + 3]),
                    avg3(ws[top + 2], ws[top + 3], ws[top + 4]),
                };
                for (int j = 0; j < 4; j++) {
                    System.arraycopy(vals, 0, ws, dst + j * BPS, 4);
                }
            }
            case B_HE_PRED -> {
                int a = at(dst, -1, -1);
                int b = at(dst, -1, 0);
                int c = at(dst, -1, 1);
                int d = at(dst, -1, 2);
                int e = at(dst, -1, 3);
                int[] rows = {avg3(a, b, c), avg3(b, c, d), avg3(c, d, e), avg3(d, e, e)};
                for (int j = 0; j < 4; j++) {
                    for (int i = 0; i < 4; i++) {
                        put(dst, i, j, rows[j]);
                    }
                }
            }
            case B_RD_PRED -> {
                int i = at(dst, -1, 0);
                int j = at(dst, -1, 1);
                int k = at(dst, -1, 2);
                int l = at(dst, -1, 3);
                int x = at(dst, -1, -1);
                int a = at(dst, 0, -1);
                int b = at(dst, 1, -1);
                int c = at(dst, 2, -1);
                int d = at(dst, 3, -1);
                put(dst, 0, 3, avg3(j, k, l));
                int v = avg3(i, j, k);
                put(dst, 1, 3, v);
                put(dst, 0, 2, v);
                v = avg3(x, i, j);
                put(dst, 2, 3, v);
                put(dst, 1, 2, v);
                put(dst, 0, 1, v);
                v = avg3(a, x, i);
                put(dst, 3, 3, v);
                put(dst, 2, 2, v);
                put(dst, 1, 1, v);
                put(dst, 0, 0, v);
                v = avg3(b, a, x);
                put(dst, 3, 2, v);
                put(dst, 2, 1, v);
                put(dst, 1, 0, v);
                v = avg3(c, b, a);
                put(dst, 3, 1, v);
                put(dst, 2, 0, v);
                put(dst, 3, 0, avg3(d, c, b));
            }
            case B_LD_PRED -> {
                int a = at(dst, 0, -1);
                int b = at(dst, 1, -1);
                int c = at(dst, 2, -1);
                int d = at(dst, 3, -1);
                int e = at(dst, 4, -1);
                int f = at(dst, 5, -1);
                int g = at(dst, 6, -1);
                int h = at(dst, 7, -1);
                put(dst, 0, 0, avg3(a, b, c));
                int v = avg3(b, c, d);
                put(dst, 1, 0, v);
                put(dst, 0, 1, v);
                v = avg3(c, d, e);
                put(dst, 2, 0, v);
                put(dst, 1, 1, v);
                put(dst, 0, 2, v);
                v = avg3(d, e, f);
                put(dst, 3, 0, v);
                put(dst, 2, 1, v);
                put(dst, 1, 2, v);
                put(dst, 0, 3, v);
                v = avg3(e, f, g);
                put(dst, 3, 1, v);
                put(dst, 2, 2, v);
                put(dst, 1, 3, v);
                v = avg3(f, g, h);
                put(dst, 3, 2, v);
                put(dst, 2, 3, v);
                put(dst, 3, 3, avg3(g, h, h));
            }
            case B_VR_PRED -> {
                int i = at(dst, -1, 0);
                int j = at(dst, -1, 1);
                int k = at(dst, -1, 2);
                int x = at(dst, -1, -1);
                int a = at(dst, 0, -1);
                int b = at(dst, 1, -1);
                int c = at(dst, 2, -1);
                int d = at(dst, 3, -1);
                int v = avg2(x, a);
                put(dst, 0, 0, v);
                put(dst, 1, 2, v);
                v = avg2(a, b);
                put(dst, 1, 0, v);
                put(dst, 2, 2, v);
                v = avg2(b, c);
                put(dst, 2, 0, v);
                put(dst, 3, 2, v);
                put(dst, 3, 0, avg2(c, d));
                put(dst, 0, 3, avg3(k, j, i));
                put(dst, 0, 2, avg3(j, i, x));
                v = avg3(i, x, a);
                put(dst, 0, 1, v);
                put(dst, 1, 3, v);
                v = avg3(x, a, b);
                put(dst, 1, 1, v);
                put(dst, 2, 3, v);
                v = avg3(a, b, c);
                put(dst, 2, 1, v);
                put(dst, 3, 3, v);
                put(dst, 3, 1, avg3(b, c, d));
            }
            case B_VL_PRED -> {
                int a = at(dst, 0, -1);
                int b = at(dst, 1, -1);
                int c = at(dst, 2, -1);
                int d = at(dst, 3, -1);
                int e = at(dst, 4, -1);
                int f = at(dst, 5, -1);
                int g = at(dst, 6, -1);
                int h = at(dst, 7, -1);
                put(dst, 0, 0, avg2(a, b));
                int v = avg2(b, c);
                put(dst, 1, 0, v);
                put(dst, 0, 2, v);
                v = avg2(c, d);
                put(dst, 2, 0, v);
                put(dst, 1, 2, v);
                v = avg2(d, e);
                put(dst, 3, 0, v);
                put(dst, 2, 2, v);
                put(dst, 0, 1, avg3(a, b, c));
                v = avg3(b, c, d);
                put(dst, 1, 1, v);
                put(dst, 0, 3, v);
                v = avg3(c, d, e);
                put(dst, 2, 1, v);
                put(dst, 1, 3, v);
                v = avg3(d, e, f);
                put(dst, 3, 1, v);
                put(dst, 2, 3, v);
                put(dst, 3, 2, avg3(e, f, g));
                put(dst, 3, 3, avg3(f, g, h));
            }
            case B_HD_PRED -> {
                int i = at(dst, -1, 0);
                int j = at(dst, -1, 1);
                int k = at(dst, -1, 2);
                int l = at(dst, -1, 3);
                int x = at(dst, -1, -1);
                int a = at(dst, 0, -1);
                int b = at(dst, 1, -1);
                int c = at(dst, 2, -1);
                int v = avg2(i, x);
                put(dst, 0, 0, v);
                put(dst, 2, 1, v);
                v = avg2(j, i);
                put(dst, 0, 1, v);
                put(dst, 2, 2, v);
                v = avg2(k, j);
                put(dst, 0, 2, v);
                put(dst, 2, 3, v);
                put(dst, 0, 3, avg2(l, k));
                put(dst, 3, 0, avg3(a, b, c));
                put(dst, 2, 0, avg3(x, a, b));
                v = avg3(i, x, a);
                put(dst, 1, 0, v);
                put(dst, 3, 1, v);
                v = avg3(j, i, x);
                put(dst, 1, 1, v);
                put(dst, 3, 2, v);
                v = avg3(k, j, i);
                put(dst, 1, 2, v);
                put(dst, 3, 3, v);
                put(dst, 1, 3, avg3(l, k, j));
            }
            default -> { // B_HU_PRED
                int i = at(dst, -1, 0);
                int j = at(dst, -1, 1);
                int k = at(dst, -1, 2);
                int l = at(dst, -1, 3);
                put(dst, 0, 0, avg2(i, j));
                int v = avg2(j, k);
                put(dst, 2, 0, v);
                put(dst, 0, 1, v);
                v = avg2(k, l);
                put(dst, 2, 1, v);
                put(dst, 0, 2, v);
                put(dst, 1, 0, avg3(i, j, k));
                v = avg3(j, k, l);
                put(dst, 3, 0, v);
                put(dst, 1, 1, v);
                v = avg3(k, l, l);
                put(dst, 3, 1, v);
                put(dst, 1, 2, v);
                put(dst, 3, 2, l);
                put(dst, 2, 2, l);
                put(dst, 0, 3, l);
                put(dst, 1, 3, l);
                put(dst, 2, 3, l);
                put(dst, 3, 3, l);
            }
        }
    }

    // ------------------------------------------------------------------ loop filter (15)

    private void filterMacroblock(int mbX, int mbY) {
        int index = mbY * mbW + mbX;
        int limit = frameFLimit[index];
        if (limit == 0) {
            return;
        }
        int ilevel = frameFILevel[index];
        boolean inner = frameFInner[index];
        int y = (mbY * 16) * yStride + mbX * 16;
        if (filterType == 1) {
            if (mbX > 0) {
                simpleFilter16(yPlane, y, 1, yStride, limit + 4);
            }
            if (inner) {
                for (int k = 1; k <= 3; k++) {
                    simpleFilter16(yPlane, y + 4 * k, 1, yStride, limit);
                }
            }
            if (mbY > 0) {
                simpleFilter16(yPlane, y, yStride, 1, limit + 4);
            }
            if (inner) {
                for (int k = 1; k <= 3; k++) {
                    simpleFilter16(yPlane, y + 4 * k * yStride, yStride, 1, limit);
                }
            }
        } else {
            int uv = (mbY * 8) * uvStride + mbX * 8;
            int hev = frameFHev[index];
            if (mbX > 0) {
                filterLoop26(yPlane, y, 1, yStride, 16, limit + 4, ilevel, hev);
                filterLoop26(uPlane, uv, 1, uvStride, 8, limit + 4, ilevel, hev);
                filterLoop26(vPlane, uv, 1, uvStride, 8, limit + 4, ilevel, hev);
            }
            if (inner) {
                for (int k = 1; k <= 3; k++) {
                    filterLoop24(yPlane, y + 4 * k, 1, yStride, 16, limit, ilevel, hev);
                }
                filterLoop24(uPlane, uv + 4, 1, uvStride, 8, limit, ilevel, hev);
                filterLoop24(vPlane, uv + 4, 1, uvStride, 8, limit, ilevel, hev);
            }
            if (mbY > 0) {
                filterLoop26(yPlane, y, yStride, 1, 16, limit + 4, ilevel, hev);
                filterLoop26(uPlane, uv, uvStride, 1, 8, limit + 4, ilevel, hev);
                filterLoop26(vPlane, uv, uvStride, 1, 8, limit + 4, ilevel, hev);
            }
            if (inner) {
                for (int k = 1; k <= 3; k++) {
                    filterLoop24(yPlane, y + 4 * k * yStride, yStride, 1, 16, limit, ilevel, hev);
                }
                filterLoop24(uPlane, uv + 4 * uvStride, uvStride, 1, 8, limit, ilevel, hev);
                filterLoop24(vPlane, uv + 4 * uvStride, uvStride, 1, 8, limit, ilevel, hev);
            }
        }
    }

    private static int u8(byte[] p, int i) {
        return p[i] & 0xFF;
    }

    private static int sclip1(int v) {  // [-1020, 1020] to [-128, 127]
        return v < -128 ? -128 : Math.min(v, 127);
    }

    private static int sclip2(int v) {  // [-112, 112] to [-16, 15]
        return v < -16 ? -16 : Math.min(v, 15);
    }

    private static int clip1(int v) {   // [-255, 511] to [0, 255]
        return v < 0 ? 0 : Math.min(v, 255);
    }

    /** The simple filter along one edge: {@code step} crosses the edge, {@code along} walks it. */
    private static void simpleFilter16(byte[] p, int at, int step, int along, int thresh) {
        int thresh2 = 2 * thresh + 1;
        for (int i = 0; i < 16; i++, at += along) {
            if (needsFilter(p, at, step, thresh2)) {
                doFilter2(p, at, step);
            }
        }
    }

    private static void filterLoop26(byte[] p, int at, int step, int along, int size,
                                     int thresh, int ithresh, int hevThresh) {
        int thresh2 = 2 * thresh + 1;
        for (int i = 0; i < size; i++, at += along) {
            if (needsFilter2(p, at, step, thresh2, ithresh)) {
                if (hev(p, at, step, hevThresh)) {
                    doFilter2(p, at, step);
                } else {
                    doFilter6(p, at, step);
                }
            }
        }
    }

    private static void filterLoop24(byte[] p, int at, int step, int along, int size,
                                     int thresh, int ithresh, int hevThresh) {
        int thresh2 = 2 * thresh + 1;
        for (int i = 0; i < size; i++, at += along) {
            if (needsFilter2(p, at, step, thresh2, ithresh)) {
                if (hev(p, at, step, hevThresh)) {
                    doFilter2(p, at, step);
                } else {
                    doFilter4(p, at, step);
                }
            }
        }
    }

    private static void doFilter2(byte[] p, int at, int step) {
        int p1 = u8(p, at - 2 * step);
        int p0 = u8(p, at - step);
        int q0 = u8(p, at);
        int q1 = u8(p, at + step);
        int a = 3 * (q0 - p0) + sclip1(p1 - q1);
        int a1 = sclip2((a + 4) >> 3);
        int a2 = sclip2((a + 3) >> 3);
        p[at - step] = (byte) clip1(p0 + a2);
        p[at] = (byte) clip1(q0 - a1);
    }

    private static void doFilter4(byte[] p, int at, int step) {
        int p1 = u8(p, at - 2 * step);
        int p0 = u8(p, at - step);
        int q0 = u8(p, at);
        int q1 = u8(p, at + step);
        int a = 3 * (q0 - p0);
        int a1 = sclip2((a + 4) >> 3);
        int a2 = sclip2((a + 3) >> 3);
        int a3 = (a1 + 1) >> 1;
        p[at - 2 * step] = (byte) clip1(p1 + a3);
        p[at - step] = (byte) clip1(p0 + a2);
        p[at] = (byte) clip1(q0 - a1);
        p[at + step] = (byte) clip1(q1 - a3);
    }

    private static void doFilter6(byte[] p, int at, int step) {
        int p2 = u8(p, at - 3 * step);
        int p1 = u8(p, at - 2 * step);
        int p0 = u8(p, at - step);
        int q0 = u8(p, at);
        int q1 = u8(p, at + step);
        int q2 = u8(p, at + 2 * step);
        int a = sclip1(3 * (q0 - p0) + sclip1(p1 - q1));
        int a1 = (27 * a + 63) >> 7;
        int a2 = (18 * a + 63) >> 7;
        int a3 = (9 * a + 63) >> 7;
        p[at - 3 * step] = (byte) clip1(p2 + a3);
        p[at - 2 * step] = (byte) clip1(p1 + a2);
        p[at - step] = (byte) clip1(p0 + a1);
        p[at] = (byte) clip1(q0 - a1);
        p[at + step] = (byte) clip1(q1 - a2);
        p[at + 2 * step] = (byte) clip1(q2 - a3);
    }

    private static boolean hev(byte[] p, int at, int step, int thresh) {
        int p1 = u8(p, at - 2 * step);
        int p0 = u8(p, at - step);
        int q0 = u8(p, at);
        int q1 = u8(p, at + step);
        return Math.abs(p1 - p0) > thresh || Math.abs(q1 - q0) > thresh;
    }

    private static boolean needsFilter(byte[] p, int at, int step, int t) {
        int p1 = u8(p, at - 2 * step);
        int p0 = u8(p, at - step);
        int q0 = u8(p, at);
        int q1 = u8(p, at + step);
        return 4 * Math.abs(p0 - q0) + Math.abs(p1 - q1) <= t;
    }

    private static boolean needsFilter2(byte[] p, int at, int step, int t, int it) {
        int p3 = u8(p, at - 4 * step);
        int p2 = u8(p, at - 3 * step);
        int p1 = u8(p, at - 2 * step);
        int p0 = u8(p, at - step);
        int q0 = u8(p, at);
        int q1 = u8(p, at + step);
        int q2 = u8(p, at + 2 * step);
        int q3 = u8(p, at + 3 * step);
        if (4 * Math.abs(p0 - q0) + Math.abs(p1 - q1) > t) {
            return false;
        }
        return Math.abs(p3 - p2) <= it && Math.abs(p2 - p1) <= it && Math.abs(p1 - p0) <= it
                && Math.abs(q3 - q2) <= it && Math.abs(q2 - q1) <= it && Math.abs(q1 - q0) <= it;
    }
}
