package io.clipstream.encoders;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Java's vectors equal the golden embeddings that scripts/make_fixture_model.py computed with
 * torch from the same 20 texts and 20 images, for the same weights in both model layouts. Texts
 * and images go through in one batch each, so padding and masking are exercised too.
 */
class ModelParityTest {

    static final Path FIXTURES = Path.of("src/test/resources/fixtures/model-parity");
    static final double MIN_COSINE = 0.9999;

    @ParameterizedTest
    @ValueSource(strings = {"models/fixture-tiny", "models/fixture-tiny-hf"})
    void textAndImageVectorsMatchTorch(String modelDir) throws Exception {
        JsonNode golden = new ObjectMapper().readTree(FIXTURES.resolve("golden.json").toFile());
        try (ClipModel model = ClipModel.open(EncoderSettings.cpu(Path.of(modelDir)))) {
            assertEquals(golden.get("dimension").asInt(), model.dimension());

            List<String> texts = new ArrayList<>();
            golden.get("texts").forEach(t -> texts.add(t.get("text").asText()));
            assertEquals(20, texts.size());
            List<TextEmbedding> textVectors = model.text().embed(texts);
            double worstText = 1;
            boolean sawTruncation = false;
            for (int i = 0; i < texts.size(); i++) {
                JsonNode expected = golden.get("texts").get(i);
                assertArrayEquals(longs(expected.get("ids")), model.text().tokenize(texts.get(i), "t").ids(),
                        "token ids of '" + texts.get(i) + "'");
                double cosine = Vectors.dot(textVectors.get(i).vector(), floats(expected.get("embedding")));
                worstText = Math.min(worstText, cosine);
                assertTrue(cosine >= MIN_COSINE, modelDir + " text '" + texts.get(i) + "' cosine " + cosine);
                sawTruncation |= textVectors.get(i).truncated();
            }
            assertTrue(sawTruncation, "the fixture texts include one over 77 tokens, which must be reported truncated");

            List<byte[]> images = new ArrayList<>();
            for (JsonNode image : golden.get("images")) {
                images.add(Files.readAllBytes(FIXTURES.resolve(image.get("file").asText())));
            }
            assertEquals(20, images.size());
            List<float[]> imageVectors = model.image().embed(images);
            double worstImage = 1;
            for (int i = 0; i < images.size(); i++) {
                JsonNode expected = golden.get("images").get(i);
                double cosine = Vectors.dot(imageVectors.get(i), floats(expected.get("embedding")));
                worstImage = Math.min(worstImage, cosine);
                assertTrue(cosine >= MIN_COSINE, modelDir + " image " + expected.get("file").asText() + " cosine " + cosine);
            }
            System.out.printf("%s: worst text cosine %.6f, worst image cosine %.6f%n", modelDir, worstText, worstImage);
        }
    }

    static float[] floats(JsonNode array) {
        float[] values = new float[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) array.get(i).asDouble();
        }
        return values;
    }

    static long[] longs(JsonNode array) {
        long[] values = new long[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asLong();
        }
        return values;
    }
}
