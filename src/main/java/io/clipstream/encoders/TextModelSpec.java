package io.clipstream.encoders;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The text tower: its ONNX file, its tokenizer and how to feed it.
 *
 * @param attentionMask input name for the mask, empty when the model takes none
 * @param tokenTypeIds  input name for BERT-style segment ids, fed as zeros (one segment), empty when
 *                      the model takes none
 */
public record TextModelSpec(Path onnx, Path tokenizer, int maxLength, long padId, String inputIds,
                            Optional<String> attentionMask, Optional<String> tokenTypeIds, String output, Pooling pooling) {

    public TextModelSpec {
        if (maxLength < 3) {
            throw new IllegalArgumentException("text maxLength must be at least 3 (start, one token, end), got " + maxLength);
        }
    }
}
