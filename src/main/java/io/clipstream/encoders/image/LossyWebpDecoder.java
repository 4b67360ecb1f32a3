package io.clipstream.encoders.image;

import com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi;
import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Decodes lossy (VP8) WebP images to the same pixels libwebp, and therefore PIL, produces.
 *
 * <p>TwelveMonkeys' reader upsamples chroma by pixel repetition and converts colours with its own
 * rounding, which on coloured edges differs from libwebp by tens of levels - enough to break parity
 * with a model whose reference preprocessing used PIL. Here TwelveMonkeys still does the VP8
 * decoding ({@link TwelveMonkeysVp8Planes}) and libwebp's default output stage is reproduced on top
 * ({@link FancyUpsampler}). An alpha channel (VP8X + ALPH) is taken from TwelveMonkeys' normal read,
 * which decodes it losslessly.
 *
 * <p>If a TwelveMonkeys upgrade removes the internals the plane extraction relies on, this class
 * logs one warning and returns TwelveMonkeys' own (less exact) decode instead of failing.
 */
public final class LossyWebpDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(LossyWebpDecoder.class);
    private static final AtomicBoolean WARNED_ABOUT_FALLBACK = new AtomicBoolean();

    private LossyWebpDecoder() {
    }

    /** True when {@code webp} is a RIFF/WEBP file holding one lossy VP8 frame, directly or inside VP8X. */
    public static boolean isLossy(byte[] webp) {
        return WebpContainer.isLossy(webp);
    }

    /** {@link #decode(byte[], DecodeLimits)} with {@link DecodeLimits#DEFAULT}. */
    public static BufferedImage decode(byte[] webp) throws IOException {
        return decode(webp, DecodeLimits.DEFAULT);
    }

    /**
     * @return TYPE_INT_ARGB when the file has an alpha channel, TYPE_INT_RGB otherwise
     * @throws IOException when the data is not a still lossy WebP, is corrupt, or exceeds {@code limits}
     */
    public static BufferedImage decode(byte[] webp, DecodeLimits limits) throws IOException {
        if (webp.length > limits.maxBytes()) {
            throw new IOException("WebP image of " + webp.length + " bytes exceeds the limit of " + limits.maxBytes()
                    + " bytes; raise maxBytes in the decode limits to accept it");
        }
        WebpContainer container = WebpContainer.parse(webp);
        int width = container.width();
        int height = container.height();
        if ((long) width * height > limits.maxPixels()) {
            throw new IOException("WebP image of " + width + "x" + height + " pixels exceeds the limit of "
                    + limits.maxPixels() + " pixels; raise maxPixels in the decode limits to accept it");
        }
        Vp8Planes planes;
        try {
            planes = TwelveMonkeysVp8Planes.decode(webp, container);
        } catch (TwelveMonkeysVp8Planes.InternalsChanged e) {
            if (WARNED_ABOUT_FALLBACK.compareAndSet(false, true)) {
                LOG.warn("Lossy WebP images are decoded by plain TwelveMonkeys, whose colours differ from libwebp/PIL "
                        + "by up to tens of levels on coloured edges, because its VP8 internals are not as expected ({}). "
                        + "Pin the TwelveMonkeys version this was written for (3.15.0) or update TwelveMonkeysVp8Planes.",
                        e.getMessage());
            }
            return plainTwelveMonkeys(webp, container);
        }

        BufferedImage image = new BufferedImage(width, height,
                container.hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        FancyUpsampler.toRgb(planes, pixels);
        if (container.hasAlpha()) {
            int[] alpha = alphaFromTwelveMonkeys(webp, width, height);
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] |= alpha[i] << 24;
            }
        }
        return image;
    }

    /** The alpha plane of TwelveMonkeys' regular read; its ALPH decoding is lossless, so exact. */
    private static int[] alphaFromTwelveMonkeys(byte[] webp, int width, int height) throws IOException {
        BufferedImage decoded = readWithTwelveMonkeys(webp);
        WritableRaster alpha = decoded.getAlphaRaster();
        if (alpha == null || decoded.getWidth() != width || decoded.getHeight() != height) {
            throw new IOException("corrupt lossy WebP: it has an ALPH chunk but TwelveMonkeys decoded "
                    + decoded.getWidth() + "x" + decoded.getHeight() + (alpha == null ? " without alpha" : "")
                    + " for a " + width + "x" + height + " frame");
        }
        return alpha.getSamples(0, 0, width, height, 0, new int[width * height]);
    }

    private static BufferedImage plainTwelveMonkeys(byte[] webp, WebpContainer container) throws IOException {
        BufferedImage decoded = readWithTwelveMonkeys(webp);
        int width = decoded.getWidth();
        int height = decoded.getHeight();
        BufferedImage image = new BufferedImage(width, height,
                container.hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        // getRGB/setRGB copy non-premultiplied sRGB values as they are, unlike a composited drawImage.
        image.setRGB(0, 0, width, height, decoded.getRGB(0, 0, width, height, null, 0, width), 0, width);
        return image;
    }

    private static BufferedImage readWithTwelveMonkeys(byte[] webp) throws IOException {
        ImageReader reader = new WebPImageReaderSpi().createReaderInstance(null);
        try (ImageInputStream in = new ByteArrayImageInputStream(webp)) {
            reader.setInput(in);
            return reader.read(0);
        } catch (RuntimeException e) {
            throw new IOException("corrupt lossy WebP: TwelveMonkeys could not read it (" + e + ")", e);
        } finally {
            reader.dispose();
        }
    }
}
