package io.clipstream.encoders.image;

/**
 * A decoded VP8 frame as libwebp hands it to its output stage: full-resolution luma and
 * half-resolution chroma (4:2:0), after the loop filter, cropped to the frame size.
 *
 * @param width  frame width in pixels
 * @param height frame height in pixels
 * @param y      luma, {@code width * height} samples, row-major
 * @param u      Cb, {@link #chromaWidth()} * {@link #chromaHeight()} samples, row-major
 * @param v      Cr, same layout as {@code u}
 */
record Vp8Planes(int width, int height, byte[] y, byte[] u, byte[] v) {

    Vp8Planes {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("VP8 planes need a positive size, got " + width + "x" + height);
        }
        int chroma = ((width + 1) / 2) * ((height + 1) / 2);
        if (y.length != width * height || u.length != chroma || v.length != chroma) {
            throw new IllegalArgumentException("VP8 plane sizes " + y.length + "/" + u.length + "/" + v.length
                    + " do not fit a " + width + "x" + height + " frame");
        }
    }

    int chromaWidth() {
        return (width + 1) / 2;
    }

    int chromaHeight() {
        return (height + 1) / 2;
    }
}
