package io.clipstream.explain;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Draws a heat map over its image: each pixel is the image's colour blended with the ramp's colour
 * at that pixel's alpha ({@link ColourRamp}); pixels the model did not see stay as they are.
 */
public final class HeatMapRenderer {

    /** The composite, TYPE_INT_RGB, the image's size. */
    public BufferedImage composite(BufferedImage image, HeatMap map) {
        if (image.getWidth() != map.width() || image.getHeight() != map.height()) {
            throw new IllegalArgumentException("heat map " + map.width() + "x" + map.height() + " does not fit a "
                    + image.getWidth() + "x" + image.getHeight() + " image");
        }
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int base = image.getRGB(x, y);
                float t = map.intensity(x, y);
                out.setRGB(x, y, Float.isNaN(t) ? base & 0xFFFFFF : blend(base, ColourRamp.argb(t)));
            }
        }
        return out;
    }

    /** Source-over of a non-premultiplied ARGB colour on an opaque RGB one (the base's alpha is ignored). */
    static int blend(int baseRgb, int overArgb) {
        float a = (overArgb >>> 24) / 255f;
        int r = Math.round(((overArgb >> 16) & 0xFF) * a + ((baseRgb >> 16) & 0xFF) * (1 - a));
        int g = Math.round(((overArgb >> 8) & 0xFF) * a + ((baseRgb >> 8) & 0xFF) * (1 - a));
        int b = Math.round((overArgb & 0xFF) * a + (baseRgb & 0xFF) * (1 - a));
        return r << 16 | g << 8 | b;
    }

    public byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("no PNG writer in this Java runtime");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("encoding the heat map as PNG failed", e);
        }
        return out.toByteArray();
    }

    /** The heat map of {@code grid} composited over its image, as PNG bytes. */
    public byte[] renderPng(MatchLocalizer.Localisation localisation) {
        BufferedImage image = localisation.image();
        return png(composite(image, HeatMap.of(localisation.grid(), image.getWidth(), image.getHeight())));
    }
}
