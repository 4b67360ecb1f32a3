package io.clipstream.encoders.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Checks that models/clip-tokenizer/tokenizer.json, written by scripts/build_clip_tokenizer.py,
 * tokenizes as OpenAI's reference CLIP tokenizer does when read through DJL's Hugging Face
 * tokenizers bindings.
 */
class ClipTokenizerJsonTest {

    private static final Path TOKENIZER = Path.of("models/clip-tokenizer/tokenizer.json");
    /** Kept outside the repository (shared data of the workspace); the test is skipped without it. */
    private static final Path REFERENCE_TSV = Path.of("../shared/data/clip/clip_tokenizer_golden.tsv");
    private static final Path GOLDEN = Path.of("src/test/resources/fixtures/model-parity/golden.json");

    @Test
    void givesTheReferenceIdsForEveryGoldenCaption() throws IOException {
        assumeTrue(Files.isRegularFile(REFERENCE_TSV), "no " + REFERENCE_TSV.toAbsolutePath());
        List<String> failures = new ArrayList<>();
        int checked = 0;
        try (HuggingFaceTokenizer tokenizer =
                HuggingFaceTokenizer.newInstance(TOKENIZER, Map.of("addSpecialTokens", "false"))) {
            for (String line : Files.readAllLines(REFERENCE_TSV, StandardCharsets.UTF_8)) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split("\t", 2);
                long[] expected = Arrays.stream(parts[1].trim().split(" ")).mapToLong(Long::parseLong).toArray();
                long[] actual = tokenizer.encode(parts[0]).getIds();
                checked++;
                if (!Arrays.equals(expected, actual)) {
                    failures.add(parts[0] + ": expected " + Arrays.toString(expected) + ", got " + Arrays.toString(actual));
                }
            }
        }
        assertEquals(List.of(), failures, failures.size() + " of " + checked + " captions differ");
    }

    @Test
    void addsStartAndEndAndTruncatesLikeTheFixtureScript() throws IOException {
        JsonNode texts = new ObjectMapper().readTree(GOLDEN.toFile()).get("texts");
        try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(TOKENIZER,
                Map.of("addSpecialTokens", "true", "truncation", "true", "maxLength", "77"))) {
            for (JsonNode text : texts) {
                long[] expected = new long[text.get("ids").size()];
                for (int i = 0; i < expected.length; i++) {
                    expected[i] = text.get("ids").get(i).asLong();
                }
                assertArrayEquals(expected, tokenizer.encode(text.get("text").asText()).getIds(), text.get("text").asText());
            }
        }
    }
}
