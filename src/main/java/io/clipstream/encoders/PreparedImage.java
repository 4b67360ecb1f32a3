package io.clipstream.encoders;

/** An image decoded and preprocessed into the model's CHW float layout, ready to batch. */
public record PreparedImage(float[] pixels, int width, int height) {
}
