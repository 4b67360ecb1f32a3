package io.clipstream.encoders.image;

import java.util.Arrays;

/**
 * How an image becomes a model input, as Hugging Face's CLIPImageProcessor does it: resize so the
 * shortest side is {@code shortestEdge} (bicubic, PIL's filter), centre-crop to {@code cropHeight} x
 * {@code cropWidth}, scale to [0,1] and normalise per channel with {@code mean} and {@code std}.
 */
public record ImagePreprocessing(int shortestEdge, int cropHeight, int cropWidth, float[] mean, float[] std) {

    public static final float[] CLIP_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    public static final float[] CLIP_STD = {0.26862954f, 0.26130258f, 0.27577711f};

    public ImagePreprocessing {
        if (shortestEdge <= 0 || cropHeight <= 0 || cropWidth <= 0) {
            throw new IllegalArgumentException("image sizes must be positive: shortestEdge=" + shortestEdge
                    + " crop=" + cropWidth + "x" + cropHeight);
        }
        if (mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("mean and std need 3 values (RGB), got " + Arrays.toString(mean)
                    + " and " + Arrays.toString(std));
        }
        mean = mean.clone();
        std = std.clone();
    }

    public static ImagePreprocessing clip(int size) {
        return new ImagePreprocessing(size, size, size, CLIP_MEAN, CLIP_STD);
    }

    /**
     * The same preprocessing at {@code factor} times the sizes: the centre crop covers the same part
     * of the source image, sampled {@code factor} times as finely (match localisation's input).
     */
    public ImagePreprocessing scaled(int factor) {
        if (factor < 1) {
            throw new IllegalArgumentException("scale factor must be >= 1, got " + factor);
        }
        return factor == 1 ? this : new ImagePreprocessing(shortestEdge * factor, cropHeight * factor, cropWidth * factor, mean, std);
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }
}
