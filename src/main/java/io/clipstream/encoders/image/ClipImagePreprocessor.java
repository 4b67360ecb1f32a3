package io.clipstream.encoders.image;

import java.awt.image.BufferedImage;

/**
 * Hugging Face CLIPImageProcessor in Java: resize so the shortest side is {@code shortestEdge}
 * (Pillow bicubic, see {@link PilBicubicResampler}), centre-crop, scale to [0,1] and normalise each
 * channel, written as a CHW float32 tensor.
 *
 * <p>Only the crop window of the resized image is ever computed. Stateless after construction,
 * so one instance serves every thread.
 */
public final class ClipImagePreprocessor {

    private final ImagePreprocessing config;
    /** (v / 255 - mean[c]) / std[c] for every byte value, one table per channel. */
    private final float[][] normalised = new float[3][256];

    public ClipImagePreprocessor(ImagePreprocessing config) {
        this.config = config;
        float[] mean = config.mean();
        float[] std = config.std();
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                normalised[c][v] = (float) ((v / 255.0 - mean[c]) / std[c]);
            }
        }
    }

    public ImagePreprocessing config() {
        return config;
    }

    /** Floats one image occupies in a tensor: 3 x cropHeight x cropWidth. */
    public int tensorLength() {
        return 3 * config.cropHeight() * config.cropWidth();
    }

    /**
     * The resized and centre-cropped image, cropHeight x cropWidth, TYPE_INT_RGB. Where the resized
     * image is smaller than the crop (a crop larger than shortestEdge), the border is black, as
     * Hugging Face pads with zeros before normalising.
     */
    public BufferedImage resizeAndCrop(BufferedImage rgb) {
        RgbPixels src = RgbPixels.of(rgb);
        return resizeAndCrop(src).toImage();
    }

    RgbPixels resizeAndCrop(RgbPixels src) {
        int[] size = resizedSize(src.width, src.height, config.shortestEdge());
        int newW = size[0];
        int newH = size[1];
        int cropW = config.cropWidth();
        int cropH = config.cropHeight();
        // Python's floor division; negative when padding is needed, which the resampler fills with 0.
        int top = Math.floorDiv(newH - cropH, 2);
        int left = Math.floorDiv(newW - cropW, 2);
        int[] out = PilBicubicResampler.resizeRegion(src.data, src.width, src.height, newW, newH, left, top, cropW, cropH);
        return new RgbPixels(cropW, cropH, out);
    }

    /**
     * Where {@link #resizeAndCrop} takes its crop from in a {@code width} x {@code height} source
     * image: spatial model outputs describe this window, not the whole image.
     */
    public CropWindow cropWindow(int width, int height) {
        int[] size = resizedSize(width, height, config.shortestEdge());
        double scaleX = (double) size[0] / width;
        double scaleY = (double) size[1] / height;
        int top = Math.floorDiv(size[1] - config.cropHeight(), 2);
        int left = Math.floorDiv(size[0] - config.cropWidth(), 2);
        return new CropWindow(left / scaleX, top / scaleY, config.cropWidth() / scaleX, config.cropHeight() / scaleY);
    }

    /**
     * Writes {@code cropped} (cropHeight x cropWidth, as returned by {@link #resizeAndCrop}) into
     * {@code dst} from {@code offset} as CHW float32, channel order R, G, B: a batch tensor is
     * filled in place, one image after another.
     */
    public void writeTensor(BufferedImage cropped, float[] dst, int offset) {
        if (cropped.getWidth() != config.cropWidth() || cropped.getHeight() != config.cropHeight()) {
            throw new IllegalArgumentException("expected a " + config.cropWidth() + "x" + config.cropHeight()
                    + " image (call resizeAndCrop first), got " + cropped.getWidth() + "x" + cropped.getHeight());
        }
        writeTensor(RgbPixels.of(cropped), dst, offset);
    }

    void writeTensor(RgbPixels cropped, float[] dst, int offset) {
        int plane = cropped.width * cropped.height;
        if (offset < 0 || offset > dst.length - 3 * plane) {
            throw new IllegalArgumentException("tensor of " + dst.length + " floats has no room for "
                    + 3 * plane + " floats at offset " + offset);
        }
        float[] r = normalised[0];
        float[] g = normalised[1];
        float[] b = normalised[2];
        int[] pixels = cropped.data;
        int gOffset = offset + plane;
        int bOffset = offset + 2 * plane;
        for (int i = 0; i < plane; i++) {
            int p = pixels[i];
            dst[offset + i] = r[(p >> 16) & 0xFF];
            dst[gOffset + i] = g[(p >> 8) & 0xFF];
            dst[bOffset + i] = b[p & 0xFF];
        }
    }

    /** Convenience: resize, crop and normalise one decoded image into a new CHW tensor. */
    public float[] toTensor(BufferedImage rgb) {
        float[] tensor = new float[tensorLength()];
        writeTensor(resizeAndCrop(RgbPixels.of(rgb)), tensor, 0);
        return tensor;
    }

    /**
     * Hugging Face's get_resize_output_image_size for an int shortest_edge: the short side becomes
     * {@code shortestEdge}, the long side {@code int(shortestEdge * long / short)} (a float
     * division truncated, as Python computes it).
     */
    static int[] resizedSize(int width, int height, int shortestEdge) {
        int shortSide = Math.min(width, height);
        int longSide = Math.max(width, height);
        double exact = (double) ((long) shortestEdge * longSide) / shortSide;
        if (exact > 1 << 30) {
            throw new IllegalArgumentException("a " + width + "x" + height + " image is too elongated to resize"
                    + " to a shortest edge of " + shortestEdge);
        }
        int newLong = (int) exact;
        return width <= height ? new int[] {shortestEdge, newLong} : new int[] {newLong, shortestEdge};
    }
}
