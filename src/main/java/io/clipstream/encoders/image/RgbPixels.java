package io.clipstream.encoders.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.awt.image.SinglePixelPackedSampleModel;

/**
 * Row-major packed 0xRRGGBB pixels, the working form of every step here: one int per pixel, no
 * per-pixel objects, and wrappable as a TYPE_INT_RGB {@link BufferedImage} without copying.
 */
final class RgbPixels {

    private static final int[] RGB_MASKS = {0xFF0000, 0x00FF00, 0x0000FF};
    private static final DirectColorModel RGB_MODEL = new DirectColorModel(24, 0xFF0000, 0x00FF00, 0x0000FF);

    final int width;
    final int height;
    final int[] data;

    RgbPixels(int width, int height, int[] data) {
        if (width <= 0 || height <= 0 || data.length != width * height) {
            throw new IllegalArgumentException("bad pixel buffer: " + width + "x" + height + " with " + data.length + " ints");
        }
        this.width = width;
        this.height = height;
        this.data = data;
    }

    static RgbPixels allocate(int width, int height) {
        return new RgbPixels(width, height, new int[Math.multiplyExact(width, height)]);
    }

    /** A TYPE_INT_RGB image backed by this buffer (no copy). */
    BufferedImage toImage() {
        DataBufferInt buffer = new DataBufferInt(data, data.length);
        WritableRaster raster = Raster.createPackedRaster(buffer, width, height, width, RGB_MASKS, null);
        return new BufferedImage(RGB_MODEL, raster, false, null);
    }

    /**
     * The pixels of {@code image}: its own buffer when it is a plain TYPE_INT_RGB image (callers
     * only read it), otherwise a copy made through getRGB with alpha dropped.
     */
    static RgbPixels of(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        if (image.getType() == BufferedImage.TYPE_INT_RGB
                && image.getRaster().getDataBuffer() instanceof DataBufferInt buffer
                && buffer.getNumBanks() == 1
                && image.getRaster().getSampleModel() instanceof SinglePixelPackedSampleModel model
                && model.getScanlineStride() == w
                && image.getRaster().getSampleModelTranslateX() == 0
                && image.getRaster().getSampleModelTranslateY() == 0
                && buffer.getOffset() == 0
                && buffer.getData().length == w * h) {
            return new RgbPixels(w, h, buffer.getData());
        }
        int[] data = image.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < data.length; i++) {
            data[i] &= 0xFFFFFF;
        }
        return new RgbPixels(w, h, data);
    }
}
