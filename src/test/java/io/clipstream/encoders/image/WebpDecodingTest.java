package io.clipstream.encoders.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.common.EncodingException;
import io.clipstream.common.EncodingException.Reason;
import java.util.Arrays;
import javax.imageio.IIOException;
import org.junit.jupiter.api.Test;

/**
 * WebP goes through native libwebp after {@link WebpContainer}'s checks; the parity tests compare
 * the result with Pillow for the fixtures, these check the container cases and the failure modes.
 */
class WebpDecodingTest {

    private final ImageDecoder decoder = new ImageDecoder(DecodeLimits.DEFAULT);

    @Test
    void containerLocatesFrameZero() throws IIOException {
        WebpContainer simple = WebpContainer.parse(Fixtures.image("webp_lossy.webp"));
        assertEquals(false, simple.lossless());
        assertEquals(420, simple.canvasWidth());
        WebpContainer alpha = WebpContainer.parse(Fixtures.image("webp_lossy_alpha.webp"));
        assertTrue(alpha.hasAlpha());
        WebpContainer animated = WebpContainer.parse(Fixtures.image("webp_animated.webp"));
        assertEquals(320, animated.canvasWidth());
        assertEquals(60, animated.frameX(), "the encoder trimmed frame 0's transparent border");
        assertEquals(50, animated.frameY());
        assertTrue(WebpContainer.parse(Fixtures.image("webp_lossless.webp")).lossless());
    }

    @Test
    void animatedWebpGivesFrameZeroOnItsCanvas() {
        RgbPixels image = decoder.decodePixels(Fixtures.image("webp_animated.webp"), "anim.webp");
        assertEquals(320, image.width);
        assertEquals(240, image.height);
        assertEquals(0xFFFFFF, image.data[10 * 320 + 10], "outside frame 0 the canvas is transparent, so white");
        int centre = image.data[125 * 320 + 160]; // frame 0's ellipse is (230, 60, 40); frame 1's green
        assertTrue(Math.abs(((centre >> 16) & 0xFF) - 230) < 12 && Math.abs(((centre >> 8) & 0xFF) - 60) < 12,
                Integer.toHexString(centre));
        assertEquals(0, Fixtures.maxDiff(image, Fixtures.pilDecoded("webp_animated.webp")));
    }

    @Test
    void truncatedLossyWebpIsCorrupt() {
        byte[] webp = Fixtures.image("webp_lossy.webp");
        for (int keep : new int[] {webp.length - 1, webp.length / 2, 40, 25}) {
            byte[] cut = Arrays.copyOf(webp, keep);
            EncodingException e = assertThrows(EncodingException.class, () -> decoder.decode(cut, "cut.webp"));
            assertEquals(Reason.CORRUPT_IMAGE, e.reason(), e.getMessage());
        }
    }

    @Test
    void truncatedCoefficientDataIsCorruptEvenWhenTheRiffSizeIsPatched() {
        // The RIFF and chunk sizes say the file is whole, the VP8 data runs out: libwebp's
        // "premature end of file" must surface as corruption, not as a half-decoded picture.
        byte[] webp = Fixtures.image("webp_lossy.webp");
        int keep = webp.length - 400;
        byte[] cut = Arrays.copyOf(webp, keep);
        putLe32(cut, 4, keep - 8);
        putLe32(cut, 16, keep - 20);
        EncodingException e = assertThrows(EncodingException.class, () -> decoder.decode(cut, "short.webp"));
        assertEquals(Reason.CORRUPT_IMAGE, e.reason());
        assertTrue(e.getMessage().contains("VP8"), e.getMessage());
    }

    @Test
    void everyDamagedByteOfTheHeaderFailsTypedOrDecodes() {
        byte[] webp = Fixtures.image("webp_lossy.webp");
        for (int at = 0; at < 64; at++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] damaged = webp.clone();
                damaged[at] ^= (byte) (1 << bit);
                try {
                    assertTrue(decoder.decode(damaged, "d.webp").getWidth() > 0);
                } catch (EncodingException expected) {
                    assertEquals("d.webp", expected.input());
                }
            }
        }
    }

    private static void putLe32(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >> 8);
        b[at + 2] = (byte) (v >> 16);
        b[at + 3] = (byte) (v >> 24);
    }
}
