package io.clipstream.encoders.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * Turns what the ImageIO readers return into 8-bit RGB with the numbers Pillow would produce for
 * {@code load_rgb} in the reference pipeline, because the model was trained on Pillow's pixels.
 *
 * <ul>
 *   <li>Raw samples are used as they are: embedded ICC profiles and PNG gamma are ignored, as
 *       Pillow ignores them (Java2D colour conversion would shift every pixel a little).</li>
 *   <li>Grey is replicated into R, G and B. Samples deeper than 8 bits keep their high byte
 *       (Pillow's "RGB;16B" unpacking does this for 16-bit RGB PNGs). For 16-bit greyscale Pillow
 *       gives mode "I" and clips to 255 when converting to RGB, which turns nearly every pixel
 *       white; we take the high byte as for colour instead, and say so here on purpose.</li>
 *   <li>Alpha (RGBA, grey+alpha, palette transparency) is composited over opaque white with
 *       Pillow's integer {@code alpha_composite} arithmetic.</li>
 *   <li>JPEG colour conversion is done here from the raw raster: libjpeg's YCbCr tables, its
 *       YCCK-to-CMYK step, Pillow's Adobe inversion of CMYK and its {@code cmyk2rgb}.</li>
 * </ul>
 */
final class PilColorConversion {

    // libjpeg jdcolor.c build_ycc_rgb_table: 16-bit fixed point, rounded.
    private static final int SCALEBITS = 16;
    private static final int ONE_HALF = 1 << (SCALEBITS - 1);
    private static final int[] CR_R = new int[256];
    private static final int[] CB_B = new int[256];
    private static final int[] CR_G = new int[256];
    private static final int[] CB_G = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int x = i - 128;
            CR_R[i] = (fix(1.40200) * x + ONE_HALF) >> SCALEBITS;
            CB_B[i] = (fix(1.77200) * x + ONE_HALF) >> SCALEBITS;
            CR_G[i] = -fix(0.71414) * x;
            CB_G[i] = -fix(0.34414) * x + ONE_HALF;
        }
    }

    private PilColorConversion() {
    }

    private static int fix(double x) {
        return (int) (x * (1L << SCALEBITS) + 0.5);
    }

    /** How libjpeg interprets a JPEG's components (jdapimin.c default_decompress_parms). */
    enum JpegColorSpace { GRAY, YCBCR, RGB, CMYK, YCCK }

    static JpegColorSpace jpegColorSpace(JpegStructure jpeg, int bands) {
        int[] ids = jpeg.componentIds();
        return switch (bands) {
            case 1 -> JpegColorSpace.GRAY;
            case 3 -> {
                if (jpeg.jfif()) {
                    yield JpegColorSpace.YCBCR;
                }
                if (jpeg.adobeTransform() >= 0) {
                    yield jpeg.adobeTransform() == 0 ? JpegColorSpace.RGB : JpegColorSpace.YCBCR;
                }
                boolean rgbIds = ids.length == 3 && ids[0] == 'R' && ids[1] == 'G' && ids[2] == 'B';
                yield rgbIds ? JpegColorSpace.RGB : JpegColorSpace.YCBCR;
            }
            case 4 -> {
                if (jpeg.adobeTransform() >= 0) {
                    yield jpeg.adobeTransform() == 0 ? JpegColorSpace.CMYK : JpegColorSpace.YCCK;
                }
                yield JpegColorSpace.CMYK;
            }
            default -> throw new IllegalArgumentException("a JPEG with " + bands + " components");
        };
    }

    /**
     * RGB from the raw (unconverted, upsampled) raster of a JPEG, as libjpeg-turbo + Pillow
     * compute it. {@code halfHeight} marks components to re-upsample (see
     * {@link JpegStructure#halfHeightComponents}); may be shorter than the band count.
     */
    static RgbPixels fromJpegRaster(Raster raster, JpegColorSpace space, boolean[] halfHeight) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        int bands = raster.getNumBands();
        RgbPixels out = RgbPixels.allocate(w, h);
        int[] row = new int[w * bands];
        int[] dst = out.data;
        int minX = raster.getMinX();
        int minY = raster.getMinY();
        boolean[] refilter = new boolean[bands];
        for (int band = 0; band < bands && band < halfHeight.length; band++) {
            refilter[band] = halfHeight[band] && h > 1;
        }
        int[] nearest = new int[w];
        int[] next = new int[w];
        for (int y = 0; y < h; y++) {
            raster.getPixels(minX, minY + y, w, 1, row);
            for (int band = 0; band < bands; band++) {
                if (refilter[band]) {
                    fancyUpsampleRow(raster, band, y, nearest, next);
                    for (int x = 0; x < w; x++) {
                        row[x * bands + band] = nearest[x];
                    }
                }
            }
            int o = y * w;
            for (int x = 0, i = 0; x < w; x++, i += bands) {
                dst[o + x] = switch (space) {
                    case GRAY -> gray(row[i] & 0xFF);
                    case RGB -> rgb(row[i] & 0xFF, row[i + 1] & 0xFF, row[i + 2] & 0xFF);
                    case YCBCR -> yccToRgb(row[i] & 0xFF, row[i + 1] & 0xFF, row[i + 2] & 0xFF);
                    case CMYK -> storedCmykToRgb(row[i] & 0xFF, row[i + 1] & 0xFF, row[i + 2] & 0xFF, row[i + 3] & 0xFF);
                    case YCCK -> ycckToRgb(row[i] & 0xFF, row[i + 1] & 0xFF, row[i + 2] & 0xFF, row[i + 3] & 0xFF);
                };
            }
        }
        return out;
    }

    /**
     * libjpeg-turbo's h1v2_fancy_upsample for row {@code y} of one component, into
     * {@code nearest}. The JDK's decoder replicated each half-height row, so raster row 2k holds
     * the original row k; an output row is 3/4 its nearest original row and 1/4 the next nearest
     * (edge rows repeat), with bias 1 for the upper and 2 for the lower row of each pair.
     */
    private static void fancyUpsampleRow(Raster raster, int band, int y, int[] nearest, int[] next) {
        int w = raster.getWidth();
        int rows = (raster.getHeight() + 1) / 2;
        int k = y >> 1;
        boolean upper = (y & 1) == 0;
        int other = upper ? Math.max(k - 1, 0) : Math.min(k + 1, rows - 1);
        raster.getSamples(raster.getMinX(), raster.getMinY() + 2 * k, w, 1, band, nearest);
        raster.getSamples(raster.getMinX(), raster.getMinY() + 2 * other, w, 1, band, next);
        int bias = upper ? 1 : 2;
        for (int x = 0; x < w; x++) {
            nearest[x] = ((nearest[x] & 0xFF) * 3 + (next[x] & 0xFF) + bias) >> 2;
        }
    }

    private static int yccToRgb(int y, int cb, int cr) {
        int r = clamp(y + CR_R[cr]);
        int g = clamp(y + ((CB_G[cb] + CR_G[cr]) >> SCALEBITS));
        int b = clamp(y + CB_B[cb]);
        return rgb(r, g, b);
    }

    /** libjpeg ycck_cmyk_convert, then the stored-CMYK path. */
    private static int ycckToRgb(int y, int cb, int cr, int k) {
        int c = clamp(255 - (y + CR_R[cr]));
        int m = clamp(255 - (y + ((CB_G[cb] + CR_G[cr]) >> SCALEBITS)));
        int yy = clamp(255 - (y + CB_B[cb]));
        return storedCmykToRgb(c, m, yy, k);
    }

    /**
     * Pillow reads every 4-component JPEG as "CMYK;I" (Adobe's inverted convention), then
     * cmyk2rgb: out = nk - nk * c / 255 with nk = 255 - k, using MULDIV255 rounding.
     */
    private static int storedCmykToRgb(int rawC, int rawM, int rawY, int rawK) {
        int nk = rawK; // 255 - (255 - rawK)
        int r = clamp(nk - mulDiv255(255 - rawC, nk));
        int g = clamp(nk - mulDiv255(255 - rawM, nk));
        int b = clamp(nk - mulDiv255(255 - rawY, nk));
        return rgb(r, g, b);
    }

    private static int mulDiv255(int a, int b) {
        int tmp = a * b + 128;
        return ((tmp >> 8) + tmp) >> 8;
    }

    /**
     * RGB from a non-JPEG decoded image. Handles palette, grey, RGB (any bit depth) and their alpha
     * variants from the raw samples; anything more exotic goes through Java2D's getRGB.
     */
    static RgbPixels fromImage(BufferedImage image) {
        return fromImage(image, false);
    }

    /** As {@link #fromImage(BufferedImage)}; {@code ignoreAlpha} keeps the colour of every pixel as is. */
    static RgbPixels fromImage(BufferedImage image, boolean ignoreAlpha) {
        ColorModel cm = image.getColorModel();
        if (ignoreAlpha && cm instanceof ComponentColorModel && !cm.isAlphaPremultiplied()) {
            int transfer = image.getRaster().getTransferType();
            if (transfer == DataBuffer.TYPE_BYTE || transfer == DataBuffer.TYPE_USHORT) {
                return fromComponents(image.getRaster(), cm, true);
            }
        }
        if (cm instanceof IndexColorModel icm) {
            return fromPalette(image.getRaster(), icm);
        }
        if (cm instanceof ComponentColorModel && !cm.isAlphaPremultiplied()) {
            int type = cm.getColorSpace().getType();
            int colours = cm.getNumColorComponents();
            int transfer = image.getRaster().getTransferType();
            boolean integral = transfer == DataBuffer.TYPE_BYTE || transfer == DataBuffer.TYPE_USHORT;
            if (integral && ((type == ColorSpace.TYPE_RGB && colours == 3) || (type == ColorSpace.TYPE_GRAY && colours == 1))) {
                return fromComponents(image.getRaster(), cm, false);
            }
        }
        return fromJava2d(image);
    }

    private static RgbPixels fromPalette(Raster raster, IndexColorModel icm) {
        int size = icm.getMapSize();
        int[] argb = new int[size];
        icm.getRGBs(argb);
        int[] lut = new int[Math.max(size, 256)];
        for (int i = 0; i < lut.length; i++) {
            // An index past the palette (damaged file) reads as opaque black.
            lut[i] = i < size ? composite(argb[i] >>> 24, (argb[i] >> 16) & 0xFF, (argb[i] >> 8) & 0xFF, argb[i] & 0xFF) : 0;
        }
        int w = raster.getWidth();
        int h = raster.getHeight();
        RgbPixels out = RgbPixels.allocate(w, h);
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, 0, row);
            int o = y * w;
            for (int x = 0; x < w; x++) {
                int index = row[x];
                out.data[o + x] = index >= 0 && index < lut.length ? lut[index] : 0;
            }
        }
        return out;
    }

    private static RgbPixels fromComponents(Raster raster, ColorModel cm, boolean ignoreAlpha) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        int bands = raster.getNumBands();
        int colours = cm.getNumColorComponents();
        boolean alpha = cm.hasAlpha() && bands > colours && !ignoreAlpha;
        int[] bits = new int[bands];
        for (int b = 0; b < bands; b++) {
            bits[b] = b < cm.getNumComponents() ? cm.getComponentSize(b) : 8;
        }
        RgbPixels out = RgbPixels.allocate(w, h);
        int[] row = new int[w * bands];
        for (int y = 0; y < h; y++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, row);
            int o = y * w;
            for (int x = 0, i = 0; x < w; x++, i += bands) {
                int r = to8(row[i], bits[0]);
                int g = colours == 3 ? to8(row[i + 1], bits[1]) : r;
                int b = colours == 3 ? to8(row[i + 2], bits[2]) : r;
                int a = alpha ? to8(row[i + colours], bits[colours]) : 255;
                out.data[o + x] = composite(a, r, g, b);
            }
        }
        return out;
    }

    /** An n-bit sample as 8 bits: the high byte above 8 bits, exact rescaling below (2 bits: x85). */
    private static int to8(int v, int bits) {
        if (bits == 8) {
            return v & 0xFF;
        }
        if (bits > 8) {
            return (v >>> (bits - 8)) & 0xFF;
        }
        int max = (1 << bits) - 1;
        return Math.min(v, max) * 255 / max;
    }

    private static RgbPixels fromJava2d(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        RgbPixels out = RgbPixels.allocate(w, h);
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            int o = y * w;
            for (int x = 0; x < w; x++) {
                int p = row[x];
                out.data[o + x] = composite(p >>> 24, (p >> 16) & 0xFF, (p >> 8) & 0xFF, p & 0xFF);
            }
        }
        return out;
    }

    /**
     * Pillow's {@code Image.alpha_composite(white, src)} for one pixel (AlphaComposite.c, 7 extra
     * bits of precision), which with an opaque white destination reduces to this.
     */
    static int composite(int a, int r, int g, int b) {
        if (a == 255) {
            return rgb(r, g, b);
        }
        if (a == 0) {
            return 0xFFFFFF;
        }
        return rgb(overWhite(r, a), overWhite(g, a), overWhite(b, a));
    }

    private static int overWhite(int c, int a) {
        // coef1 = a * 255 * 255 * 128 / (255 * 255) = a * 128, coef2 = (255 - a) * 128
        int tmp = c * a * 128 + 255 * (255 - a) * 128 + (0x80 << 7);
        return (((tmp >> 8) + tmp) >> 8) >> 7;
    }

    private static int gray(int v) {
        return (v << 16) | (v << 8) | v;
    }

    private static int rgb(int r, int g, int b) {
        return (r << 16) | (g << 8) | b;
    }

    private static int clamp(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }
}
