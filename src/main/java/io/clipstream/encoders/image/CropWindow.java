package io.clipstream.encoders.image;

/**
 * The part of a source image that the model sees after resizing and centre-cropping, in the source
 * image's pixel coordinates (x to the right, y down; may reach past the edges when the crop pads).
 */
public record CropWindow(double x, double y, double width, double height) {

    public CropWindow {
        if (!(width > 0) || !(height > 0)) {
            throw new IllegalArgumentException("a crop window needs a positive size, got " + width + "x" + height);
        }
    }
}
