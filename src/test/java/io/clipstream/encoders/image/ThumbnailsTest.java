package io.clipstream.encoders.image;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThumbnailsTest {

    static BufferedImage halves(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, x < width / 2 ? 0xFF0000 : 0x0000FF);
            }
        }
        return image;
    }

    @Test
    void theLongestSideFitsAndTheAspectIsKept() {
        assertArrayEquals(new int[]{256, 128}, Thumbnails.fittedSize(2000, 1000));
        assertArrayEquals(new int[]{85, 256}, Thumbnails.fittedSize(300, 900));
        assertArrayEquals(new int[]{256, 1}, Thumbnails.fittedSize(5000, 3), "never a zero side");
        assertArrayEquals(new int[]{200, 100}, Thumbnails.fittedSize(200, 100), "small images are not enlarged");
    }

    @Test
    void aLargeImageBecomesAJpegWhoseColoursSurvive() throws Exception {
        BufferedImage thumbnail = ImageIO.read(new ByteArrayInputStream(Thumbnails.jpeg(halves(2000, 1000))));
        assertEquals(256, thumbnail.getWidth());
        assertEquals(128, thumbnail.getHeight());
        int left = thumbnail.getRGB(40, 64);
        int right = thumbnail.getRGB(216, 64);
        assertTrue(((left >> 16) & 0xFF) > 220 && (left & 0xFF) < 40, Integer.toHexString(left));
        assertTrue((right & 0xFF) > 220 && ((right >> 16) & 0xFF) < 40, Integer.toHexString(right));
    }

    @Test
    void theBoxPassAveragesWholeBlocksAndStopsAtTwiceTheTarget() {
        BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                image.setRGB(x, y, x < 2 ? ((x + y) % 2 == 0 ? 0x000000 : 0x646464) : 0xC8C8C8);
            }
        }
        BufferedImage reduced = Thumbnails.boxReduced(image, 1, 1);
        assertEquals(2, reduced.getWidth());
        assertEquals(2, reduced.getHeight());
        assertEquals(0x323232, reduced.getRGB(0, 0) & 0xFFFFFF, "mean of 0, 100, 100, 0");
        assertEquals(0xC8C8C8, reduced.getRGB(1, 1) & 0xFFFFFF);
        BufferedImage big = halves(1000, 500);
        assertSame(big, Thumbnails.boxReduced(big, 256, 128), "1000 / 512 is under 2: no box pass");
        BufferedImage huge = Thumbnails.boxReduced(halves(4000, 2000), 256, 128);
        assertEquals(571, huge.getWidth(), "factor 4000 / 512 = 7");
        assertEquals(285, huge.getHeight());
    }
}
