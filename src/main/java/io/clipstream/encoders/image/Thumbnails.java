package io.clipstream.encoders.image;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;

/**
 * A small JPEG preview of an already-decoded image, for pages and match localisation: longest side
 * at most {@link #MAX_SIDE} px with the aspect ratio kept, quality {@link #QUALITY}. Downscaling
 * uses the same antialiased bicubic filter as the model's preprocessing, so thin lines in clip art
 * survive instead of aliasing away.
 */
public final class Thumbnails {

    public static final int MAX_SIDE = 256;
    public static final float QUALITY = 0.85f;

    private Thumbnails() {
    }

    /** The size a {@code width x height} image is shown at: unchanged when it already fits. */
    static int[] fittedSize(int width, int height) {
        int longest = Math.max(width, height);
        if (longest <= MAX_SIDE) {
            return new int[]{width, height};
        }
        double scale = (double) MAX_SIDE / longest;
        return new int[]{Math.max(1, (int) Math.round(width * scale)), Math.max(1, (int) Math.round(height * scale))};
    }

    /**
     * For a large reduction, first an integer box average down to at least twice the target size,
     * as Pillow's {@code thumbnail} does (its reducing_gap of 2): the bicubic pass that follows
     * then spans a few source pixels instead of dozens, and the result looks the same.
     */
    static BufferedImage boxReduced(BufferedImage rgb, int targetWidth, int targetHeight) {
        int factor = Math.min(rgb.getWidth() / (2 * targetWidth), rgb.getHeight() / (2 * targetHeight));
        if (factor < 2) {
            return rgb;
        }
        RgbPixels src = RgbPixels.of(rgb);
        int width = src.width / factor;
        int height = src.height / factor;
        int[] out = new int[width * height];
        int area = factor * factor;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = 0;
                int g = 0;
                int b = 0;
                for (int dy = 0; dy < factor; dy++) {
                    int row = (y * factor + dy) * src.width + x * factor;
                    for (int dx = 0; dx < factor; dx++) {
                        int p = src.data[row + dx];
                        r += (p >> 16) & 0xFF;
                        g += (p >> 8) & 0xFF;
                        b += p & 0xFF;
                    }
                }
                out[y * width + x] = ((r + area / 2) / area) << 16 | ((g + area / 2) / area) << 8 | ((b + area / 2) / area);
            }
        }
        return new RgbPixels(width, height, out).toImage();
    }

    /** JPEG bytes of {@code rgb} scaled to fit {@link #MAX_SIDE}. */
    public static byte[] jpeg(BufferedImage rgb) {
        int[] size = fittedSize(rgb.getWidth(), rgb.getHeight());
        BufferedImage scaled = size[0] == rgb.getWidth() && size[1] == rgb.getHeight()
                ? rgb : PilBicubicResampler.resize(boxReduced(rgb, size[0], size[1]), size[0], size[1]);
        if (scaled.getType() != BufferedImage.TYPE_INT_RGB) {
            // The JPEG writer would store alpha or palette images as CMYK-like oddities browsers misread.
            scaled = RgbPixels.of(scaled).toImage();
        }
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        if (!writers.hasNext()) {
            throw new IllegalStateException("this JVM has no JPEG image writer; thumbnails need java.desktop's ImageIO");
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 * 1024);
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(QUALITY);
            writer.setOutput(out);
            writer.write(null, new IIOImage(scaled, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("encoding a thumbnail failed: " + e.getMessage(), e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
