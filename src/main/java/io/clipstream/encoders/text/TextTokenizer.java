package io.clipstream.encoders.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.clipstream.common.EncodingException;
import io.clipstream.common.ModelLoadException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Hugging Face {@code tokenizer.json} read through DJL's bindings to the Rust tokenizers
 * library, so that ids match what Python users get from the same file.
 */
public final class TextTokenizer implements AutoCloseable {

    private final HuggingFaceTokenizer forModel;
    private final HuggingFaceTokenizer plain;
    private final int maxLength;

    private TextTokenizer(HuggingFaceTokenizer forModel, HuggingFaceTokenizer plain, int maxLength) {
        this.forModel = forModel;
        this.plain = plain;
        this.maxLength = maxLength;
    }

    /** Ids for the model: special tokens added, truncated to {@code maxLength} with the end token kept. */
    public static TextTokenizer open(Path tokenizerJson, int maxLength) {
        NativeLibraries.configureDjl();
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new ModelLoadException("tokenizer " + tokenizerJson + " does not exist; give the tokenizer.json of a "
                    + "Hugging Face tokenizer (such as models/clip-tokenizer/tokenizer.json)");
        }
        HuggingFaceTokenizer forModel = null;
        try {
            forModel = HuggingFaceTokenizer.builder()
                    .optTokenizerPath(tokenizerJson)
                    .optAddSpecialTokens(true)
                    .optTruncation(true)
                    .optMaxLength(maxLength)
                    .optPadding(false)
                    .build();
            HuggingFaceTokenizer plain = HuggingFaceTokenizer.builder()
                    .optTokenizerPath(tokenizerJson)
                    .optAddSpecialTokens(false)
                    .optTruncation(false)
                    .optPadding(false)
                    .build();
            return new TextTokenizer(forModel, plain, maxLength);
        } catch (IOException | RuntimeException e) {
            if (forModel != null) {
                forModel.close();
            }
            throw new ModelLoadException("cannot read tokenizer " + tokenizerJson + ": " + e.getMessage()
                    + "; it must be a Hugging Face tokenizer.json", e);
        }
    }

    /** The ids of {@code text} without start and end tokens and without any length limit. */
    public long[] ids(String text) {
        return plain.encode(text, false, false).getIds();
    }

    /** The model's input for {@code text}; refuses text with nothing to embed. */
    public TokenizedText forModel(String text, String inputName) {
        if (text == null || text.isBlank()) {
            throw new EncodingException(EncodingException.Reason.EMPTY_TEXT, inputName, "the text is empty or only whitespace",
                    "send a caption or query with at least one word");
        }
        Encoding encoding = forModel.encode(text, true, false);
        return new TokenizedText(encoding.getIds(), encoding.exceedMaxLength());
    }

    public int maxLength() {
        return maxLength;
    }

    @Override
    public void close() {
        forModel.close();
        plain.close();
    }
}
