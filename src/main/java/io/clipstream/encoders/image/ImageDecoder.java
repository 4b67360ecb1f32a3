package io.clipstream.encoders.image;

import com.luciad.imageio.webp.WebPReadParam;
import io.clipstream.common.EncodingException;
import io.clipstream.common.EncodingException.Reason;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Encoded image bytes to an 8-bit RGB image, or a typed {@link EncodingException} that names the
 * input, what is wrong and what to do. Never a half-decoded picture: truncation and reader warnings
 * about damaged data are errors.
 *
 * <p>Order of checks, cheapest and safest first: size in bytes, format by magic bytes, the
 * container structure (JPEG: markers up to EOI; PNG: chunk framing and CRCs; BMP: pixel data
 * length; WebP: RIFF chunks),
 * width x height from the header, and only then the pixel decode of frame 0. The pixel limit is
 * what keeps a small hostile file from allocating gigabytes.
 *
 * <p>Pixels are Pillow's, as its {@code load_rgb} in the reference pipeline gives them (bit-exact
 * on the test fixtures): JPEG colour conversion from the raw raster ({@link PilColorConversion}),
 * JPEG EXIF orientation like {@code ImageOps.exif_transpose}, WebP (lossy, lossless, alpha, frame 0
 * of an animation) through native libwebp 1.6.0, the library Pillow itself uses, bound by
 * com.github.usefulness:webp-imageio; the rest through ImageIO (the JDK's readers, TwelveMonkeys'
 * JPEG). Issue 19 replaced a 2,190-line Java port of libwebp with it: on 449 lossy WebP files the two
 * decode identically (figures and the trade-offs of native code in docs/MODELS.md, "WebP decoding").
 *
 * <p>WebP bytes reach native code only after the Java checks: the size limit, the RIFF chunk walk
 * ({@link WebpContainer}) and the pixel limit on the declared canvas. libwebp is fuzzed under
 * OSS-Fuzz, but a memory-safety bug in it would crash the JVM rather than throw.
 *
 * <p>Known differences from Pillow, all rare: EXIF orientation is applied to JPEG only (Pillow
 * also reads it from PNG/WebP EXIF and XMP); a GIF whose frame 0 is smaller than its logical screen comes
 * back at the frame's size (Pillow pastes it on the screen); arithmetic-coded JPEGs are refused.
 *
 * <p>Stateless after construction and thread-safe: each call uses its own reader.
 */
public final class ImageDecoder {

    static final String MAX_BYTES_KEY = "image.max.bytes";
    static final String MAX_PIXELS_KEY = "image.max.pixels";
    static final String NATIVE_TMPDIR_KEY = WebpNativeDirectory.PROPERTY;
    private static final String RESEND = "Re-send the complete, undamaged file, or re-encode it as JPEG or PNG";

    /**
     * The one WebP reader used, chosen by provider class rather than ImageIO's order, so that another
     * WebP plugin on the classpath (TwelveMonkeys' imageio-webp, say) cannot change the service's pixels.
     */
    private static final String WEBP_READER_SPI = "com.luciad.imageio.webp.WebPImageReaderSpi";

    static {
        WebpNativeDirectory.configure();
    }

    private final DecodeLimits limits;

    public ImageDecoder(DecodeLimits limits) {
        this.limits = limits;
    }

    public DecodeLimits limits() {
        return limits;
    }

    /**
     * Decodes frame 0 of {@code bytes} to a TYPE_INT_RGB image.
     *
     * @param inputName how errors refer to this input (a record id or a file name)
     */
    public BufferedImage decode(byte[] bytes, String inputName) throws EncodingException {
        return decodePixels(bytes, inputName).toImage();
    }

    RgbPixels decodePixels(byte[] bytes, String inputName) {
        String input = inputName == null || inputName.isBlank() ? "image" : inputName;
        if (bytes == null || bytes.length == 0) {
            throw new EncodingException(Reason.EMPTY_INPUT, input, "the image is empty (0 bytes)",
                    "Send the encoded image bytes (" + ImageFormat.SUPPORTED + ")");
        }
        if (bytes.length > limits.maxBytes()) {
            throw new EncodingException(Reason.IMAGE_TOO_LARGE, input,
                    "the encoded image is " + bytes.length + " bytes, over the limit of " + limits.maxBytes() + " bytes",
                    "Send a smaller image, or raise " + MAX_BYTES_KEY);
        }
        ImageFormat format = ImageFormat.sniff(bytes).orElseThrow(() -> new EncodingException(
                Reason.UNSUPPORTED_FORMAT, input,
                "this looks like " + ImageFormat.describeUnsupported(bytes) + ", not a supported image",
                "Send " + ImageFormat.SUPPORTED));
        JpegStructure jpeg = null;
        WebpContainer webp = null;
        if (format == ImageFormat.JPEG) {
            jpeg = JpegStructure.parse(bytes);
            if (!jpeg.complete()) {
                throw corrupt(input, format, "the data ends before the end-of-image marker (truncated or damaged)", null);
            }
            if (jpeg.arithmeticCoded()) {
                throw new EncodingException(Reason.UNSUPPORTED_FORMAT, input,
                        "this is an arithmetic-coded JPEG, which the decoder does not support",
                        "Re-encode it as a baseline or progressive (Huffman-coded) JPEG, or as PNG");
            }
        } else if (format == ImageFormat.PNG) {
            String problem = PngChunks.problem(bytes);
            if (problem != null) {
                throw corrupt(input, format, problem, null);
            }
        } else if (format == ImageFormat.BMP) {
            String problem = BmpHeader.problem(bytes);
            if (problem != null) {
                throw corrupt(input, format, problem, null);
            }
        } else if (format == ImageFormat.WEBP) {
            try {
                webp = WebpContainer.parse(bytes);
            } catch (IOException | RuntimeException e) {
                throw corrupt(input, format, "the container is damaged (" + describe(e) + ")", e);
            }
            checkPixels(webp.canvasWidth(), webp.canvasHeight(), input);
        }
        // libwebp's still decoder refuses animations: it gets frame 0 as a still file of its own.
        byte[] readerBytes = webp != null && webp.animated() ? webp.stillFrame0(bytes) : bytes;
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(readerBytes))) {
            ImageReader reader = readerFor(format, in, input);
            try {
                return read(reader, in, bytes, format, jpeg, webp, input);
            } finally {
                reader.dispose();
            }
        } catch (EncodingException e) {
            throw e;
        } catch (LinkageError e) {
            if (format != ImageFormat.WEBP) {
                throw e;
            }
            // The native libwebp library did not load (no writable, executable temporary directory, or
            // a platform the binding has no build for): refuse the input instead of killing the caller.
            throw new EncodingException(Reason.UNSUPPORTED_FORMAT, input,
                    "WebP cannot be decoded on this host: the native libwebp library did not load (" + describe(e) + ")",
                    "Send JPEG or PNG; operators: give " + NATIVE_TMPDIR_KEY
                            + " a writable directory not mounted noexec (docs/OPERATIONS.md, \"WebP\")", e);
        } catch (IOException | RuntimeException e) {
            // The readers signal bad data with IIOException but also IndexOutOfBounds,
            // IllegalArgument, NegativeArraySize, ArithmeticException...: all mean a damaged file.
            // libwebp only reports a status (NotEnoughData, BitstreamError): say which bitstream it was.
            String what = webp == null ? "the data" : webp.lossless() ? "the lossless (VP8L) data" : "the lossy (VP8) data";
            throw corrupt(input, format, what + " is damaged (" + describe(e) + ")", e);
        }
    }

    private RgbPixels read(ImageReader reader, ImageInputStream in, byte[] bytes, ImageFormat format,
                           JpegStructure jpeg, WebpContainer webp, String input) throws IOException {
        reader.setInput(in, true, false);
        Warnings warnings = new Warnings();
        reader.addIIOReadWarningListener(warnings);

        int width;
        int height;
        try {
            width = reader.getWidth(0);
            height = reader.getHeight(0);
        } catch (IOException | RuntimeException e) {
            throw corrupt(input, format, "the header cannot be read (" + describe(e) + ")", e);
        }
        if (width <= 0 || height <= 0) {
            throw corrupt(input, format, "the header declares an empty image (" + width + "x" + height + ")", null);
        }
        checkPixels(width, height, input);

        ImageReadParam param = format == ImageFormat.WEBP ? LibwebpParam.SHARED : reader.getDefaultReadParam();
        if (format == ImageFormat.JPEG) {
            // The raw raster, so that colour conversion is libjpeg's and Pillow's, not Java2D's ICC handling.
            Raster raster = reader.readRaster(0, param);
            warnings.throwIfDamaged(input, format);
            RgbPixels rgb = PilColorConversion.fromJpegRaster(raster,
                    PilColorConversion.jpegColorSpace(jpeg, raster.getNumBands()), jpeg.halfHeightComponents());
            return ExifOrientation.apply(rgb, jpeg.orientation());
        }
        BufferedImage image = reader.read(0, param); // frame 0 only: the first frame of an animation
        warnings.throwIfDamaged(input, format);
        boolean keyedColourOnly = format == ImageFormat.PNG && PngChunks.colourTypeWithoutAlpha(bytes);
        RgbPixels rgb = PilColorConversion.fromImage(image, keyedColourOnly);
        if (webp != null && (rgb.width != webp.canvasWidth() || rgb.height != webp.canvasHeight())) {
            // The reader returns an animation's frame 0 at its own size; Pillow shows the canvas.
            if (rgb.width != webp.frameWidth() || rgb.height != webp.frameHeight()) {
                throw new IIOException("frame 0 decoded as " + rgb.width + "x" + rgb.height + ", expected "
                        + webp.frameWidth() + "x" + webp.frameHeight());
            }
            return placeOnWhiteCanvas(rgb, webp);
        }
        return rgb;
    }

    /**
     * One set of libwebp decoder options for every call: each WebPReadParam holds a native
     * WebPDecoderOptions that only a Cleaner frees, and the defaults (fancy upsampling, no dithering,
     * no scaling or cropping) are Pillow's; libwebp only reads them. A holder class, so that a native
     * library that fails to load breaks WebP decoding, not the class that also decodes JPEG and PNG.
     */
    private static final class LibwebpParam {
        static final ImageReadParam SHARED = new WebPReadParam();
    }

    /** Frame 0 (already composited over white) at its offset on a transparent, hence white, canvas. */
    private static RgbPixels placeOnWhiteCanvas(RgbPixels frame, WebpContainer webp) {
        RgbPixels canvas = RgbPixels.allocate(webp.canvasWidth(), webp.canvasHeight());
        Arrays.fill(canvas.data, 0xFFFFFF);
        for (int y = 0; y < frame.height; y++) {
            System.arraycopy(frame.data, y * frame.width, canvas.data,
                    (webp.frameY() + y) * canvas.width + webp.frameX(), frame.width);
        }
        return canvas;
    }

    private void checkPixels(int width, int height, String input) {
        long pixels = (long) width * height;
        if (pixels > limits.maxPixels()) {
            throw new EncodingException(Reason.IMAGE_TOO_LARGE, input,
                    "the image is " + width + "x" + height + " = " + pixels + " pixels, over the limit of "
                            + limits.maxPixels() + " pixels",
                    "Downscale it before sending, or raise " + MAX_PIXELS_KEY);
        }
    }

    /** The first reader ImageIO offers for these bytes that handles the sniffed format. */
    private static ImageReader readerFor(ImageFormat format, ImageInputStream in, String input) {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        while (readers.hasNext()) {
            ImageReader reader = readers.next();
            ImageReaderSpi spi = reader.getOriginatingProvider();
            if (spi != null && handles(spi, format)
                    && (format != ImageFormat.WEBP || spi.getClass().getName().equals(WEBP_READER_SPI))) {
                return reader;
            }
            reader.dispose();
        }
        throw corrupt(input, format, "no image reader accepts the data behind its " + format + " signature", null);
    }

    private static boolean handles(ImageReaderSpi spi, ImageFormat format) {
        for (String name : spi.getFormatNames()) {
            if (name.equalsIgnoreCase(format.imageIoName())) {
                return true;
            }
        }
        return false;
    }

    private static EncodingException corrupt(String input, ImageFormat format, String problem, Throwable cause) {
        return new EncodingException(Reason.CORRUPT_IMAGE, input, "corrupt " + format + " image: " + problem, RESEND, cause);
    }

    private static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null && sb.length() < 300; t = t.getCause() == t ? null : t.getCause()) {
            if (!sb.isEmpty()) {
                sb.append(": ");
            }
            sb.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                sb.append(' ').append(t.getMessage());
            }
        }
        return sb.length() > 300 ? sb.substring(0, 300) + "..." : sb.toString();
    }

    /**
     * Reader warnings. Most are harmless (an odd APP segment, an ignored ICC profile), but some mean
     * the pixels are partly invented: libjpeg says "Premature end of JPEG file" and fills the rest
     * grey, or "bad Huffman code" and decodes garbage. Those are errors here.
     */
    private static final class Warnings implements IIOReadWarningListener {
        private static final String[] DAMAGE = {
            "premature end", "truncat", "bad huffman", "instead of rst", "missing eoi", "unexpected end", "eof",
        };
        private final List<String> messages = new ArrayList<>();

        @Override
        public void warningOccurred(ImageReader source, String warning) {
            if (warning != null && messages.size() < 16) {
                messages.add(warning);
            }
        }

        void throwIfDamaged(String input, ImageFormat format) {
            for (String message : messages) {
                String lower = message.toLowerCase(Locale.ROOT);
                for (String sign : DAMAGE) {
                    if (lower.contains(sign)) {
                        throw corrupt(input, format, "the reader reports damaged data (" + message + ")", null);
                    }
                }
            }
        }
    }
}
