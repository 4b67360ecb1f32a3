package io.clipstream.encoders;

import io.clipstream.encoders.image.ImagePreprocessing;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The image tower: its ONNX file, input and output names, and preprocessing.
 *
 * @param patchOutput the output holding spatial features in the shared space, {@code [batch, rows,
 *                    cols, dimension]}, when the tower exports them (match localisation needs it)
 */
public record ImageModelSpec(Path onnx, String input, String output, ImagePreprocessing preprocessing,
                             Optional<String> patchOutput) {

    /** A tower with no spatial output. */
    public ImageModelSpec(Path onnx, String input, String output, ImagePreprocessing preprocessing) {
        this(onnx, input, output, preprocessing, Optional.empty());
    }
}
