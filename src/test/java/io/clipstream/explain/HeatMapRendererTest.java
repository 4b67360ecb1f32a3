package io.clipstream.explain;

import io.clipstream.encoders.MatchGrid;
import io.clipstream.encoders.image.CropWindow;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeatMapRendererTest {

    private final HeatMapRenderer renderer = new HeatMapRenderer();

    @Test
    void theRampRunsFromFaintBlueToStrongRed() {
        int cold = ColourRamp.argb(0f);
        int hot = ColourRamp.argb(1f);
        assertEquals(0x0000FF, cold & 0xFFFFFF);
        assertEquals(0xFF0000, hot & 0xFFFFFF);
        assertEquals(Math.round(255 * ColourRamp.MIN_ALPHA), cold >>> 24);
        assertEquals(Math.round(255 * ColourRamp.MAX_ALPHA), hot >>> 24);
        assertEquals(ColourRamp.argb(1f), ColourRamp.argb(7f), "clamped");
        assertTrue((ColourRamp.argb(0.5f) >>> 24) > (cold >>> 24) && (ColourRamp.argb(0.5f) >>> 24) < (hot >>> 24));
        assertEquals(0x00DC00, ColourRamp.argb(0.5f) & 0xFFFFFF, "green at the middle stop");
    }

    @Test
    void blendsSourceOverWithTheRampsAlpha() {
        assertEquals(0xFFFFFF, HeatMapRenderer.blend(0xFFFFFF, 0x00FF0000), "transparent leaves the base");
        assertEquals(0xFF0000, HeatMapRenderer.blend(0x00FF00, 0xFFFF0000), "opaque replaces it");
        // Alpha 0x80 is 128/255 of black: 255 * 127/255 = 127 left of the white.
        assertEquals(0x7F7F7F, HeatMapRenderer.blend(0xFFFFFF, 0x80000000), "half black over white is grey");
    }

    @Test
    void hotCellsAreRedderThanColdOnesAndUnseenPixelsUntouched() throws IOException {
        BufferedImage white = new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 40; x++) {
                white.setRGB(x, y, 0xFFFFFF);
            }
        }
        // A 1x2 grid over the middle 20x20 of a 40x20 image: left cell cold, right cell hot.
        HeatMap map = HeatMap.of(new MatchGrid(1, 2, new float[]{0.1f, 0.4f}, new CropWindow(10, 0, 20, 20)), 40, 20);
        BufferedImage out = renderer.composite(white, map);
        assertEquals(0xFFFFFF, out.getRGB(2, 10) & 0xFFFFFF, "outside the crop");
        int cold = out.getRGB(12, 10);
        int hot = out.getRGB(27, 10);
        assertTrue(((hot >> 16) & 0xFF) > ((hot) & 0xFF) && ((cold) & 0xFF) > ((cold >> 16) & 0xFF),
                Integer.toHexString(cold) + " " + Integer.toHexString(hot));

        byte[] png = renderer.png(out);
        assertArrayEquals(new byte[]{(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4));
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(40, back.getWidth());
        assertEquals(out.getRGB(27, 10), back.getRGB(27, 10), "PNG is lossless");
    }

    @Test
    void refusesAMapOfAnotherSize() {
        BufferedImage image = new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB);
        HeatMap map = HeatMap.of(new MatchGrid(1, 1, new float[]{0f}, new CropWindow(0, 0, 8, 8)), 8, 8);
        assertThrows(IllegalArgumentException.class, () -> renderer.composite(image, map));
    }
}
