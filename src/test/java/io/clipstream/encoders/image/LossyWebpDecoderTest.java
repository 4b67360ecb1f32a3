package io.clipstream.encoders.image;

import com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi;
import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compares {@link LossyWebpDecoder} with PIL's (libwebp's) decode of the same files, written by
 * scripts/make_webp_fixtures.py into fixtures/webp/NAME.pil.png.
 */
class LossyWebpDecoderTest {

    private static final String FIXTURES = "/fixtures/webp/";
    private static final String PARITY_IMAGES = "/fixtures/model-parity/images/";

    @ParameterizedTest
    @ValueSource(strings = {
            "sharp-64x200-q80", "sharp-odd-77x45-q50", "gradient-odd-33x17-q90", "one-wide-1x37-q75",
            "one-high-29x1-q75", "noise-50x49-q10", "alpha-45x31-q70"})
    void decodesExactlyLikePil(String name) throws IOException {
        assertMatchesPil(name, bytes(FIXTURES + name + ".webp"), FIXTURES + name + ".pil.png");
    }

    @ParameterizedTest
    @ValueSource(ints = {19, 20})
    void decodesTheLossyModelParityImagesExactlyLikePil(int number) throws IOException {
        assertMatchesPil("model-parity-" + number, bytes(PARITY_IMAGES + number + ".webp"),
                FIXTURES + "model-parity-" + number + ".pil.png");
    }

    private static void assertMatchesPil(String name, byte[] webp, String pilPng) throws IOException {
        assertTrue(LossyWebpDecoder.isLossy(webp), name + " should be recognised as lossy");
        BufferedImage ours = LossyWebpDecoder.decode(webp);
        BufferedImage pil = png(pilPng);
        boolean pilHasAlpha = pil.getColorModel().hasAlpha();
        assertEquals(pilHasAlpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB, ours.getType(), name);

        Difference difference = Difference.between(ours, pil, pilHasAlpha);
        Difference plain = Difference.between(plainTwelveMonkeys(webp), pil, pilHasAlpha);
        System.out.printf("%s: ours max %d mean %.4f | plain TwelveMonkeys max %d mean %.4f%n",
                name, difference.max, difference.mean(), plain.max, plain.mean());
        assertEquals(0, difference.max, name + ": largest per-channel difference from PIL, mean " + difference.mean());
    }

    @Test
    void plainTwelveMonkeysIsMeasurablyWorseOnSharpColouredEdges() throws IOException {
        // Guards against the comparison above passing for the wrong reason (e.g. a fixture without
        // chroma edges): on this image nearest-neighbour chroma is visibly off.
        byte[] webp = bytes(FIXTURES + "sharp-64x200-q80.webp");
        BufferedImage pil = png(FIXTURES + "sharp-64x200-q80.pil.png");
        Difference plain = Difference.between(plainTwelveMonkeys(webp), pil, false);
        Difference ours = Difference.between(LossyWebpDecoder.decode(webp), pil, false);
        assertTrue(plain.max >= 30 && plain.mean() >= 1.0,
                "plain TwelveMonkeys expected far from PIL, got max " + plain.max + " mean " + plain.mean());
        assertEquals(0, ours.max);
    }

    @Test
    void alphaComesThroughUnchanged() throws IOException {
        BufferedImage ours = LossyWebpDecoder.decode(bytes(FIXTURES + "alpha-45x31-q70.webp"));
        BufferedImage pil = png(FIXTURES + "alpha-45x31-q70.pil.png");
        int[] alpha = new int[256];
        for (int y = 0; y < pil.getHeight(); y++) {
            for (int x = 0; x < pil.getWidth(); x++) {
                assertEquals(pil.getRGB(x, y) >>> 24, ours.getRGB(x, y) >>> 24, "alpha at " + x + "," + y);
                alpha[ours.getRGB(x, y) >>> 24]++;
            }
        }
        assertTrue(alpha[0] > 0 && alpha[255] > 0 && Arrays.stream(alpha, 1, 255).sum() > 0,
                "fixture should mix transparent, opaque and partial alpha");
    }

    @Test
    void recognisesOnlyStillLossyWebp() throws IOException {
        assertTrue(LossyWebpDecoder.isLossy(bytes(FIXTURES + "sharp-64x200-q80.webp")));
        assertTrue(LossyWebpDecoder.isLossy(bytes(FIXTURES + "alpha-45x31-q70.webp")), "VP8X + ALPH + VP8");
        assertFalse(LossyWebpDecoder.isLossy(bytes(PARITY_IMAGES + "17.webp")), "VP8L is lossless");
        assertFalse(LossyWebpDecoder.isLossy(bytes(PARITY_IMAGES + "18.webp")), "VP8L is lossless");
        assertFalse(LossyWebpDecoder.isLossy(bytes(PARITY_IMAGES + "01.png")));
        assertFalse(LossyWebpDecoder.isLossy(new byte[0]));
        byte[] webp = bytes(FIXTURES + "sharp-64x200-q80.webp");
        assertFalse(LossyWebpDecoder.isLossy(Arrays.copyOf(webp, webp.length / 2)), "truncated");
    }

    @Test
    void rejectsTruncatedData() throws IOException {
        byte[] webp = bytes(FIXTURES + "sharp-64x200-q80.webp");
        IOException e = assertThrows(IOException.class,
                () -> LossyWebpDecoder.decode(Arrays.copyOf(webp, webp.length - 100)));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void rejectsAFirstPartitionCutShortEvenWhenTheRiffSizesAgree() throws IOException {
        byte[] webp = bytes(FIXTURES + "noise-50x49-q10.webp");
        int keep = 12 + 8 + 10 + 20;  // RIFF and chunk headers, frame header, a little of the first partition
        byte[] cut = Arrays.copyOf(webp, keep);
        writeLe32(cut, 4, keep - 8);
        writeLe32(cut, 16, keep - 20);
        IOException e = assertThrows(IOException.class, () -> LossyWebpDecoder.decode(cut));
        assertTrue(e.getMessage().contains("first partition"), e.getMessage());
    }

    @Test
    void rejectsTokenDataCutShortEvenWhenTheRiffSizesAgree() throws IOException {
        // libwebp fails such files with NOT_ENOUGH_DATA; TwelveMonkeys runs into the end of the stream.
        byte[] webp = bytes(FIXTURES + "noise-50x49-q10.webp");
        int tag = (webp[20] & 0xff) | (webp[21] & 0xff) << 8 | (webp[22] & 0xff) << 16;
        int keep = 12 + 8 + 10 + (tag >>> 5) + 5;  // complete first partition, 5 bytes of tokens
        byte[] cut = Arrays.copyOf(webp, keep);
        writeLe32(cut, 4, keep - 8);
        writeLe32(cut, 16, keep - 20);
        assertTrue(LossyWebpDecoder.isLossy(cut), "the container itself is consistent");
        IOException e = assertThrows(IOException.class, () -> LossyWebpDecoder.decode(cut));
        assertTrue(e.getMessage().contains("could not decode the VP8 frame"), e.getMessage());
    }

    @Test
    void checksThePixelLimitBeforeDecoding() throws IOException {
        byte[] webp = bytes(FIXTURES + "sharp-64x200-q80.webp");
        IOException e = assertThrows(IOException.class,
                () -> LossyWebpDecoder.decode(webp, new DecodeLimits(1 << 20, 64 * 200 - 1)));
        assertTrue(e.getMessage().contains("64x200") && e.getMessage().contains("maxPixels"), e.getMessage());
        assertNotNull(LossyWebpDecoder.decode(webp, new DecodeLimits(1 << 20, 64 * 200)));
    }

    @Test
    void rejectsAVp8xCanvasThatDisagreesWithTheFrame() throws IOException {
        byte[] webp = bytes(FIXTURES + "alpha-45x31-q70.webp");
        webp[24] = 45;  // canvas width - 1 = 45 -> 46, frame is 45 wide
        IOException e = assertThrows(IOException.class, () -> LossyWebpDecoder.decode(webp));
        assertTrue(e.getMessage().contains("canvas"), e.getMessage());
    }

    @Test
    void rejectsLosslessWebpWithAClearMessage() throws IOException {
        IOException e = assertThrows(IOException.class, () -> LossyWebpDecoder.decode(bytes(PARITY_IMAGES + "17.webp")));
        assertTrue(e.getMessage().contains("VP8L"), e.getMessage());
    }

    /** Per-channel absolute differences over R, G, B (and A when compared). */
    private record Difference(int max, long sum, long count) {
        double mean() {
            return count == 0 ? 0 : (double) sum / count;
        }

        static Difference between(BufferedImage actual, BufferedImage expected, boolean withAlpha) {
            assertEquals(expected.getWidth(), actual.getWidth(), "width");
            assertEquals(expected.getHeight(), actual.getHeight(), "height");
            int max = 0;
            long sum = 0;
            long count = 0;
            int channels = withAlpha ? 4 : 3;
            for (int y = 0; y < expected.getHeight(); y++) {
                for (int x = 0; x < expected.getWidth(); x++) {
                    int a = actual.getRGB(x, y);
                    int e = expected.getRGB(x, y);
                    for (int c = 0; c < channels; c++) {
                        int d = Math.abs(((a >>> (8 * c)) & 0xff) - ((e >>> (8 * c)) & 0xff));
                        max = Math.max(max, d);
                        sum += d;
                        count++;
                    }
                }
            }
            return new Difference(max, sum, count);
        }
    }

    private static BufferedImage plainTwelveMonkeys(byte[] webp) throws IOException {
        ImageReader reader = new WebPImageReaderSpi().createReaderInstance(null);
        try (ImageInputStream in = new ByteArrayImageInputStream(webp)) {
            reader.setInput(in);
            return reader.read(0);
        } finally {
            reader.dispose();
        }
    }

    private static BufferedImage png(String resource) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes(resource)));
        assertNotNull(image, resource + " is not a readable PNG");
        return image;
    }

    private static byte[] bytes(String resource) {
        try (InputStream in = LossyWebpDecoderTest.class.getResourceAsStream(resource)) {
            assertNotNull(in, "missing test resource " + resource + "; run scripts/make_webp_fixtures.py");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeLe32(byte[] data, int at, int value) {
        for (int i = 0; i < 4; i++) {
            data[at + i] = (byte) (value >>> (8 * i));
        }
    }
}
