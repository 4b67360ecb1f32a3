package io.clipstream.encoders.image;

import com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi;
import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.Raster;
import java.io.IOException;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes lossy (VP8) WebP images to the same pixels libwebp, and therefore PIL, produces.
 *
 * <p>TwelveMonkeys' reader upsamples chroma by pixel repetition and converts colours with its own
 * rounding, and its VP8 loop filter differs from libwebp's; on coloured edges that is tens of
 * levels off, enough to break parity with a model whose reference preprocessing used PIL. Here the
 * VP8 frame is decoded by {@link Vp8Decoder} (a port of libwebp's decoder) and libwebp's default
 * output stage is reproduced by {@link FancyUpsampler}. An alpha channel (ALPH chunk, losslessly
 * coded) is taken from TwelveMonkeys' normal read, which matches libwebp's exactly.
 *
 * <p>For an animation, frame 0 is returned on its canvas, transparent where the frame does not
 * reach, as libwebp's animation decoder (and so PIL) composes it.
 *
 * <p>Why the port is kept rather than TwelveMonkeys' maintained reader (issue 19, measured with
 * scripts/compare_webp_decoders.sh on 450 lossy WebP files, 12 committed fixtures and 438
 * re-encodings of the test images; figures in docs/MODELS.md, "WebP decoding"): the embeddings
 * move. Port against TwelveMonkeys 3.15.0, cosine worst 0.9443 and mean 0.99860 on the default
 * model, worst 0.9956 and mean 0.99992 on the ViT-B/32-sized bench model, against the 0.9999 bar;
 * 2 of 450 files decode identically, per-file max differences have a median of 42 levels. With
 * TwelveMonkeys, ModelParityTest (cosine 0.99961 on images/20.webp against torch) and
 * PreprocessParityTest (webp_lossy tensor max |d| 0.60 against a bound of 0.05) fail.
 */
public final class LossyWebpDecoder {

    private LossyWebpDecoder() {
    }

    /** True when {@code webp} is a RIFF/WEBP file whose frame 0 is lossy VP8, plain, in VP8X or animated. */
    public static boolean isLossy(byte[] webp) {
        return WebpContainer.isLossy(webp);
    }

    /** {@link #decode(byte[], DecodeLimits)} with {@link DecodeLimits#DEFAULT}. */
    public static BufferedImage decode(byte[] webp) throws IOException {
        return decode(webp, DecodeLimits.DEFAULT);
    }

    /**
     * @return TYPE_INT_ARGB when the frame has an alpha channel or does not cover its canvas,
     *         TYPE_INT_RGB otherwise
     * @throws IOException when the data is not a lossy WebP, is corrupt, or exceeds {@code limits}
     */
    public static BufferedImage decode(byte[] webp, DecodeLimits limits) throws IOException {
        if (webp.length > limits.maxBytes()) {
            throw new IOException("WebP image of " + webp.length + " bytes exceeds the limit of " + limits.maxBytes()
                    + " bytes; raise maxBytes in the decode limits to accept it");
        }
        WebpContainer container = WebpContainer.parse(webp);
        if (container.lossless()) {
            throw new IOException("not a lossy WebP: the image chunk is VP8L (lossless)");
        }
        int width = container.canvasWidth();
        int height = container.canvasHeight();
        if ((long) width * height > limits.maxPixels()) {
            throw new IOException("WebP image of " + width + "x" + height + " pixels exceeds the limit of "
                    + limits.maxPixels() + " pixels; raise maxPixels in the decode limits to accept it");
        }
        Vp8Planes planes;
        try {
            planes = Vp8Decoder.decode(webp, container.offset(), container.length());
        } catch (IOException | RuntimeException e) {
            throw new IOException("corrupt lossy WebP: could not decode the VP8 frame (" + e.getMessage() + ")", e);
        }
        int[] frame = new int[planes.width() * planes.height()];
        FancyUpsampler.toRgb(planes, frame);
        boolean transparent = container.hasAlpha() || !container.frameIsCanvas();
        if (container.hasAlpha()) {
            int[] alpha = alphaFromTwelveMonkeys(webp, container);
            for (int i = 0; i < frame.length; i++) {
                frame[i] |= alpha[i] << 24;
            }
        } else if (transparent) {
            for (int i = 0; i < frame.length; i++) {
                frame[i] |= 0xFF000000; // opaque frame on a transparent canvas
            }
        }
        BufferedImage image = new BufferedImage(width, height,
                transparent ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        // The canvas starts fully transparent (0); frame 0 is copied in at its offset.
        for (int y = 0; y < planes.height(); y++) {
            System.arraycopy(frame, y * planes.width(), pixels,
                    (container.frameY() + y) * width + container.frameX(), planes.width());
        }
        return image;
    }

    /**
     * Frame 0's alpha plane from TwelveMonkeys' regular read; its ALPH decoding is lossless, so
     * exact. The reader returns a frame at the frame's size, or at the canvas size for still images.
     */
    private static int[] alphaFromTwelveMonkeys(byte[] webp, WebpContainer container) throws IOException {
        BufferedImage decoded = readWithTwelveMonkeys(webp);
        Raster alpha = decoded.getAlphaRaster();
        int frameWidth = container.frameWidth();
        int frameHeight = container.frameHeight();
        int x0;
        int y0;
        if (decoded.getWidth() == frameWidth && decoded.getHeight() == frameHeight) {
            x0 = 0;
            y0 = 0;
        } else if (decoded.getWidth() == container.canvasWidth() && decoded.getHeight() == container.canvasHeight()) {
            x0 = container.frameX();
            y0 = container.frameY();
        } else {
            throw new IOException("corrupt lossy WebP: it has an ALPH chunk but TwelveMonkeys decoded "
                    + decoded.getWidth() + "x" + decoded.getHeight() + " for a " + frameWidth + "x" + frameHeight + " frame");
        }
        if (alpha == null) {
            throw new IOException("corrupt lossy WebP: it has an ALPH chunk but TwelveMonkeys decoded no alpha");
        }
        return alpha.getSamples(alpha.getMinX() + x0, alpha.getMinY() + y0, frameWidth, frameHeight, 0,
                new int[frameWidth * frameHeight]);
    }

    private static BufferedImage readWithTwelveMonkeys(byte[] webp) throws IOException {
        ImageReader reader = new WebPImageReaderSpi().createReaderInstance(null);
        try (ImageInputStream in = new ByteArrayImageInputStream(webp)) {
            reader.setInput(in);
            return reader.read(0);
        } catch (RuntimeException e) {
            throw new IOException("corrupt lossy WebP: TwelveMonkeys could not read its alpha (" + e + ")", e);
        } finally {
            reader.dispose();
        }
    }
}
