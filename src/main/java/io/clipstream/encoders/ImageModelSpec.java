package io.clipstream.encoders;

import io.clipstream.encoders.image.ImagePreprocessing;

import java.nio.file.Path;

/** The image tower: its ONNX file, input and output names, and preprocessing. */
public record ImageModelSpec(Path onnx, String input, String output, ImagePreprocessing preprocessing) {
}
