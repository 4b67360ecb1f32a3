package io.clipstream.encoders.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.common.EncodingException;
import io.clipstream.common.EncodingException.Reason;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * WebP through {@link ImageDecoder} (native libwebp) against Pillow's decode of the same files,
 * written by scripts/make_webp_fixtures.py into fixtures/webp/NAME.pil.png, and the ways damaged or
 * hostile WebP must fail before or inside native code: as a typed error, never a crash or a picture.
 */
class WebpPillowParityTest {

    private static final String FIXTURES = "/fixtures/webp/";
    private static final String PARITY_IMAGES = "/fixtures/model-parity/images/";

    private final ImageDecoder decoder = new ImageDecoder(DecodeLimits.DEFAULT);

    @ParameterizedTest
    @ValueSource(strings = {
            "sharp-64x200-q80", "sharp-odd-77x45-q50", "gradient-odd-33x17-q90", "one-wide-1x37-q75",
            "one-high-29x1-q75", "noise-50x49-q10", "alpha-45x31-q70"})
    void decodesExactlyLikePil(String name) throws IOException {
        assertMatchesPil(name, Fixtures.bytes(FIXTURES + name + ".webp"), FIXTURES + name + ".pil.png");
    }

    @ParameterizedTest
    @ValueSource(ints = {19, 20})
    void decodesTheLossyModelParityImagesExactlyLikePil(int number) throws IOException {
        assertMatchesPil("model-parity-" + number, Fixtures.bytes(PARITY_IMAGES + number + ".webp"),
                FIXTURES + "model-parity-" + number + ".pil.png");
    }

    private void assertMatchesPil(String name, byte[] webp, String pilPng) throws IOException {
        BufferedImage pil = ImageIO.read(new ByteArrayInputStream(Fixtures.bytes(pilPng)));
        assertNotNull(pil, pilPng + " is not a readable PNG");
        // Pillow's RGBA composited over white the way the service composites libwebp's.
        RgbPixels expected = PilColorConversion.fromImage(pil);
        RgbPixels ours = decoder.decodePixels(webp, name);
        assertEquals(0, Fixtures.maxDiff(ours, expected), name + ": largest per-channel difference from PIL");
    }

    @Test
    void checksThePixelLimitBeforeDecoding() {
        byte[] webp = Fixtures.bytes(FIXTURES + "sharp-64x200-q80.webp");
        EncodingException e = assertThrows(EncodingException.class,
                () -> new ImageDecoder(new DecodeLimits(1 << 20, 64 * 200 - 1)).decode(webp, "tall.webp"));
        assertEquals(Reason.IMAGE_TOO_LARGE, e.reason());
        assertTrue(e.getMessage().contains("64x200") && e.getMessage().contains(ImageDecoder.MAX_PIXELS_KEY), e.getMessage());
        assertEquals(64, new ImageDecoder(new DecodeLimits(1 << 20, 64 * 200)).decode(webp, "tall.webp").getWidth());
    }

    @Test
    void aHugeDeclaredSizeIsRefusedFromTheHeaderAlone() {
        // A 16384 x 16384 VP8L header followed by a few bytes: were the bytes handed to libwebp first,
        // it would report the missing data (corrupt), not the size.
        byte[] vp8l = new byte[12 + 8 + 16];
        riff(vp8l, "VP8L", 16);
        vp8l[20] = 0x2f;
        long bits = (16384L - 1) | (16384L - 1) << 14;
        putLe32(vp8l, 21, (int) bits);
        assertTooLarge(vp8l, "16384x16384");

        // An animation whose small frame 0 sits on a 16384 x 16384 canvas: libwebp would decode only the
        // frame, the canvas it is placed on is what must be refused.
        byte[] animated = Fixtures.image("webp_animated.webp");
        assertEquals("VP8X", new String(animated, 12, 4));
        for (int at : new int[] {24, 27}) {
            animated[at] = (byte) 0xFF;
            animated[at + 1] = 0x3F;
            animated[at + 2] = 0;
        }
        assertTooLarge(animated, "16384x16384");
    }

    private void assertTooLarge(byte[] webp, String size) {
        EncodingException e = assertThrows(EncodingException.class, () -> decoder.decode(webp, "huge.webp"));
        assertEquals(Reason.IMAGE_TOO_LARGE, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains(size), e.getMessage());
    }

    @Test
    void truncatedFilesAreCorrupt() {
        for (String name : new String[] {"sharp-64x200-q80", "alpha-45x31-q70"}) {
            byte[] webp = Fixtures.bytes(FIXTURES + name + ".webp");
            for (int keep : new int[] {webp.length - 1, webp.length - 100, webp.length / 2, 30, 13}) {
                byte[] cut = Arrays.copyOf(webp, keep);
                EncodingException e = assertThrows(EncodingException.class, () -> decoder.decode(cut, "cut.webp"));
                assertEquals(Reason.CORRUPT_IMAGE, e.reason(), name + " cut to " + keep + ": " + e.getMessage());
                assertEquals("cut.webp", e.input());
            }
        }
    }

    @Test
    void tokenDataCutShortIsCorruptEvenWhenTheRiffSizesAgree() {
        // The container is consistent, the VP8 token partition runs out: libwebp's NotEnoughData.
        byte[] webp = Fixtures.bytes(FIXTURES + "noise-50x49-q10.webp");
        int tag = (webp[20] & 0xff) | (webp[21] & 0xff) << 8 | (webp[22] & 0xff) << 16;
        int keep = 12 + 8 + 10 + (tag >>> 5) + 5; // complete first partition, 5 bytes of tokens
        byte[] cut = Arrays.copyOf(webp, keep);
        putLe32(cut, 4, keep - 8);
        putLe32(cut, 16, keep - 20);
        EncodingException e = assertThrows(EncodingException.class, () -> decoder.decode(cut, "short.webp"));
        assertEquals(Reason.CORRUPT_IMAGE, e.reason());
        assertTrue(e.getMessage().contains("VP8") && e.getMessage().contains("NotEnoughData"), e.getMessage());
    }

    @Test
    void garbageAfterAValidRiffHeaderIsCorrupt() {
        Random random = new Random(19);
        for (int length : new int[] {20, 64, 4096}) {
            byte[] garbage = new byte[length];
            random.nextBytes(garbage);
            System.arraycopy("RIFF".getBytes(), 0, garbage, 0, 4);
            putLe32(garbage, 4, length - 8);
            System.arraycopy("WEBP".getBytes(), 0, garbage, 8, 4);
            EncodingException e = assertThrows(EncodingException.class, () -> decoder.decode(garbage, "garbage.webp"));
            assertEquals(Reason.CORRUPT_IMAGE, e.reason(), e.getMessage());
        }
    }

    @Test
    void garbageBehindValidChunkAndFrameHeadersFailsTypedOrDecodes() {
        // VP8 has no checksum: random partition data may decode to noise. What matters is that libwebp
        // gets it (the headers are valid) and answers with a status or a picture of the declared size.
        byte[] webp = Fixtures.bytes(FIXTURES + "sharp-64x200-q80.webp");
        Random random = new Random(19);
        for (int trial = 0; trial < 20; trial++) {
            byte[] damaged = webp.clone();
            byte[] noise = new byte[damaged.length - 40];
            random.nextBytes(noise);
            System.arraycopy(noise, 0, damaged, 40, noise.length);
            try {
                BufferedImage image = decoder.decode(damaged, "noise.webp");
                assertEquals(64, image.getWidth());
                assertEquals(200, image.getHeight());
            } catch (EncodingException expected) {
                assertEquals(Reason.CORRUPT_IMAGE, expected.reason(), expected.getMessage());
            }
        }
    }

    @Test
    void aVp8xCanvasThatDisagreesWithTheFrameIsCorrupt() {
        byte[] webp = Fixtures.bytes(FIXTURES + "alpha-45x31-q70.webp");
        webp[24] = 45; // canvas width - 1 = 45 -> 46, the frame is 45 wide
        EncodingException e = assertThrows(EncodingException.class, () -> decoder.decode(webp, "canvas.webp"));
        assertEquals(Reason.CORRUPT_IMAGE, e.reason());
        assertTrue(e.getMessage().contains("canvas"), e.getMessage());
    }

    private static void riff(byte[] b, String chunk, int chunkSize) {
        System.arraycopy("RIFF".getBytes(), 0, b, 0, 4);
        putLe32(b, 4, b.length - 8);
        System.arraycopy("WEBP".getBytes(), 0, b, 8, 4);
        System.arraycopy(chunk.getBytes(), 0, b, 12, 4);
        putLe32(b, 16, chunkSize);
    }

    private static void putLe32(byte[] data, int at, int value) {
        for (int i = 0; i < 4; i++) {
            data[at + i] = (byte) (value >>> (8 * i));
        }
    }
}
