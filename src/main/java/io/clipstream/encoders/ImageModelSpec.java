package io.clipstream.encoders;

import io.clipstream.encoders.image.ImagePreprocessing;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The image tower: its ONNX file, input and output names, and preprocessing.
 *
 * @param patchOutput  the output holding spatial features in the shared space, {@code [batch, rows,
 *                     cols, dimension]}, when the tower exports them (match localisation needs it)
 * @param explainScale how many times the preprocessing's sizes match localisation runs the tower at
 *                     ({@code image.explainScale}, 1 = as for embedding). A fully convolutional tower
 *                     with dynamic spatial dims then returns a grid that many times finer, each cell
 *                     seeing a smaller part of the image; embedding always uses {@code preprocessing}
 */
public record ImageModelSpec(Path onnx, String input, String output, ImagePreprocessing preprocessing,
                             Optional<String> patchOutput, int explainScale) {

    public ImageModelSpec {
        if (explainScale < 1) {
            throw new IllegalArgumentException("image.explainScale must be a whole number >= 1, got " + explainScale);
        }
    }

    /** A tower whose spatial features, if any, are taken at the embedding size. */
    public ImageModelSpec(Path onnx, String input, String output, ImagePreprocessing preprocessing,
                          Optional<String> patchOutput) {
        this(onnx, input, output, preprocessing, patchOutput, 1);
    }

    /** A tower with no spatial output. */
    public ImageModelSpec(Path onnx, String input, String output, ImagePreprocessing preprocessing) {
        this(onnx, input, output, preprocessing, Optional.empty());
    }
}
