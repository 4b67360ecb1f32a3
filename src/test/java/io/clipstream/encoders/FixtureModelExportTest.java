package io.clipstream.encoders;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clipstream.encoders.image.ImagePreprocessing;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the ONNX files written by scripts/make_fixture_model.py through ONNX Runtime and compares
 * them with the torch embeddings in golden.json. Python has no ONNX runtime here, so this is where
 * the export itself (dynamic batch and length, masking, pooling, both layouts) gets checked. It
 * starts from token ids and from the script's own preprocessed 64x64 crops, so tokenizer and image
 * decoding are not under test.
 */
class FixtureModelExportTest {

    private static final Path FIXTURES = Path.of("src/test/resources/fixtures/model-parity");
    private static final Path MANIFEST_MODEL = Path.of("models/fixture-tiny");
    private static final Path HF_MODEL = Path.of("models/fixture-tiny-hf/onnx");
    private static final long END_ID = 49407;
    /** torch and ONNX Runtime run the same float32 graph; only summation order differs. */
    private static final double TOLERANCE = 1e-5;

    private static JsonNode golden;

    @BeforeAll
    static void readGolden() throws IOException {
        golden = new ObjectMapper().readTree(FIXTURES.resolve("golden.json").toFile());
    }

    @Test
    void manifestTextModelGivesTheGoldenEmbeddingsAtEachEndTokenOfAPaddedBatch() throws OrtException {
        PaddedIds batch = paddedIds(golden.get("texts"));
        float[][][] tokens = run(MANIFEST_MODEL.resolve("text.onnx"),
                Map.of("ids", batch.ids(), "mask", batch.mask()), "tokens", float[][][].class);
        for (int row = 0; row < batch.ids().length; row++) {
            int lastReal = batch.lengths()[row] - 1;
            assertClose(golden.get("texts").get(row), tokens[row][lastReal]);
        }
    }

    @Test
    void huggingFaceTextModelGivesTheGoldenEmbeddingsForAPaddedBatch() throws OrtException {
        PaddedIds batch = paddedIds(golden.get("texts"));
        float[][] embeds = run(HF_MODEL.resolve("text_model.onnx"),
                Map.of("input_ids", batch.ids(), "attention_mask", batch.mask()), "text_embeds", float[][].class);
        for (int row = 0; row < embeds.length; row++) {
            assertClose(golden.get("texts").get(row), embeds[row]);
        }
    }

    @Test
    void bothImageModelsGiveTheGoldenEmbeddingsForThePreprocessedCrops() throws OrtException, IOException {
        JsonNode images = golden.get("images");
        float[][][][] pixels = new float[images.size()][][][];
        for (int i = 0; i < images.size(); i++) {
            pixels[i] = normalised(ImageIO.read(FIXTURES.resolve(images.get(i).get("preprocessed").asText()).toFile()));
        }
        float[][] manifest = run(MANIFEST_MODEL.resolve("image.onnx"), Map.of("pixels", pixels), "embedding", float[][].class);
        float[][] hf = run(HF_MODEL.resolve("vision_model.onnx"), Map.of("pixel_values", pixels), "image_embeds", float[][].class);
        for (int i = 0; i < images.size(); i++) {
            assertClose(images.get(i), manifest[i]);
            assertClose(images.get(i), hf[i]);
        }
    }

    private record PaddedIds(long[][] ids, long[][] mask, int[] lengths) {}

    /** Right-padded with the end id, as the manifest's padId says; the mask marks real tokens. */
    private static PaddedIds paddedIds(JsonNode texts) {
        int width = 0;
        for (JsonNode text : texts) {
            width = Math.max(width, text.get("ids").size());
        }
        long[][] ids = new long[texts.size()][width];
        long[][] mask = new long[texts.size()][width];
        int[] lengths = new int[texts.size()];
        for (int row = 0; row < texts.size(); row++) {
            JsonNode rowIds = texts.get(row).get("ids");
            lengths[row] = rowIds.size();
            for (int col = 0; col < width; col++) {
                ids[row][col] = col < lengths[row] ? rowIds.get(col).asLong() : END_ID;
                mask[row][col] = col < lengths[row] ? 1 : 0;
            }
        }
        return new PaddedIds(ids, mask, lengths);
    }

    /** Same float32 arithmetic as scripts/clip_preprocess.py to_tensor: (v / 255 - mean) / std. */
    private static float[][][] normalised(BufferedImage image) {
        float[] mean = ImagePreprocessing.CLIP_MEAN;
        float[] std = ImagePreprocessing.CLIP_STD;
        float[][][] chw = new float[3][image.getHeight()][image.getWidth()];
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int[] channels = {(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff};
                for (int c = 0; c < 3; c++) {
                    chw[c][y][x] = (channels[c] / 255f - mean[c]) / std[c];
                }
            }
        }
        return chw;
    }

    private static <T> T run(Path model, Map<String, Object> inputs, String output, Class<T> type) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, OnnxTensor> tensors = new java.util.HashMap<>();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            for (Map.Entry<String, Object> input : inputs.entrySet()) {
                tensors.put(input.getKey(), OnnxTensor.createTensor(env, input.getValue()));
            }
            try (OrtSession session = env.createSession(model.toString(), options);
                    OrtSession.Result result = session.run(tensors)) {
                return type.cast(result.get(output).orElseThrow().getValue());
            }
        } finally {
            tensors.values().forEach(OnnxTensor::close);
        }
    }

    private static void assertClose(JsonNode expected, float[] raw) {
        double norm = 0;
        for (float v : raw) {
            norm += (double) v * v;
        }
        norm = Math.sqrt(norm);
        JsonNode embedding = expected.get("embedding");
        assertEquals(embedding.size(), raw.length, "dimension of " + expected);
        for (int i = 0; i < raw.length; i++) {
            assertEquals(embedding.get(i).asDouble(), raw[i] / norm, TOLERANCE,
                    "component " + i + " of " + expected.path("text").asText(expected.path("file").asText()));
        }
    }
}
