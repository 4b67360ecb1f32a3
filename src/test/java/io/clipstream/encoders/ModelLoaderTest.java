package io.clipstream.encoders;

import io.clipstream.common.ModelLoadException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelLoaderTest {

    static final Path MANIFEST_MODEL = Path.of("models/fixture-tiny");
    static final Path HF_MODEL = Path.of("models/fixture-tiny-hf");

    @Test
    void readsTheManifestLayout() {
        ModelSpec spec = ModelLoader.load(MANIFEST_MODEL, "auto");
        assertEquals(ModelSpec.Layout.CLIPSTREAM_MANIFEST, spec.layout());
        assertEquals("fixture-tiny", spec.id());
        assertEquals(32, spec.dimension());
        assertEquals(Pooling.EOS, spec.text().pooling());
        assertEquals("mask", spec.text().attentionMask().orElseThrow());
        assertEquals(64, spec.image().preprocessing().shortestEdge());
        assertEquals(49407, spec.text().padId());
    }

    @Test
    void readsTheHuggingFaceLayoutAsItIs() {
        ModelSpec spec = ModelLoader.load(HF_MODEL, "auto");
        assertEquals(ModelSpec.Layout.HUGGING_FACE, spec.layout());
        assertEquals(32, spec.dimension());
        assertEquals(77, spec.text().maxLength());
        assertEquals(49407, spec.text().padId());
        assertEquals("text_embeds", spec.text().output());
        assertEquals("image_embeds", spec.image().output());
        assertEquals(64, spec.image().preprocessing().cropHeight());
        assertTrue(spec.text().onnx().endsWith(Path.of("onnx/text_model.onnx")));
    }

    @Test
    void tokenizerPadTokenWinsOverLegacyConfigPadId(@TempDir Path dir) throws IOException {
        Path copy = copyOf(HF_MODEL, dir.resolve("m"));
        String config = Files.readString(copy.resolve("config.json")).replace("\"pad_token_id\": 49407", "\"pad_token_id\": 1");
        Files.writeString(copy.resolve("config.json"), config);
        assertEquals(49407, ModelLoader.load(copy, "auto").text().padId());
    }

    @Test
    void picksQuantizedVariantsByFileName(@TempDir Path dir) throws IOException {
        Path copy = copyOf(HF_MODEL, dir.resolve("m"));
        Files.move(copy.resolve("onnx/text_model.onnx"), copy.resolve("onnx/text_model_quantized.onnx"));
        Files.move(copy.resolve("onnx/vision_model.onnx"), copy.resolve("onnx/vision_model_quantized.onnx"));

        ModelSpec auto = ModelLoader.load(copy, "auto");
        assertTrue(auto.text().onnx().endsWith(Path.of("onnx/text_model_quantized.onnx")));
        assertTrue(auto.id().endsWith("_quantized"), auto.id());
        assertEquals(auto.text().onnx(), ModelLoader.load(copy, "quantized").text().onnx());

        ModelLoadException missing = assertThrows(ModelLoadException.class, () -> ModelLoader.load(copy, "fp16"));
        assertTrue(missing.getMessage().contains("present: [quantized]"), missing.getMessage());
    }

    @Test
    void explainsWhatIsMissing(@TempDir Path dir) throws IOException {
        ModelLoadException noDir = assertThrows(ModelLoadException.class, () -> ModelLoader.load(dir.resolve("absent"), "auto"));
        assertTrue(noDir.getMessage().contains("does not exist"), noDir.getMessage());

        ModelLoadException empty = assertThrows(ModelLoadException.class, () -> ModelLoader.load(dir, "auto"));
        assertTrue(empty.getMessage().contains("clipstream-model.json"), empty.getMessage());

        Path combined = Files.createDirectories(dir.resolve("combined/onnx"));
        Files.writeString(dir.resolve("combined/config.json"), "{\"projection_dim\": 8}");
        Files.writeString(combined.resolve("model.onnx"), "x");
        ModelLoadException onlyCombined = assertThrows(ModelLoadException.class, () -> ModelLoader.load(dir.resolve("combined"), "auto"));
        assertTrue(onlyCombined.getMessage().contains("combined onnx/model.onnx"), onlyCombined.getMessage());

        Path broken = copyOf(MANIFEST_MODEL, dir.resolve("broken"));
        Files.writeString(broken.resolve(ModelLoader.MANIFEST), Files.readString(broken.resolve(ModelLoader.MANIFEST))
                .replace("\"text.onnx\"", "\"missing.onnx\""));
        ModelLoadException missingFile = assertThrows(ModelLoadException.class, () -> ModelLoader.load(broken, "auto"));
        assertTrue(missingFile.getMessage().contains("missing.onnx"), missingFile.getMessage());
    }

    @Test
    void explainScaleDefaultsToOneAndMustBeAWholeNumberAtLeastOne(@TempDir Path dir) throws IOException {
        assertEquals(1, ModelLoader.load(MANIFEST_MODEL, "auto").image().explainScale());
        assertEquals(1, ModelLoader.load(HF_MODEL, "auto").image().explainScale());
        assertEquals(2, ModelLoader.load(withExplainScale(dir, "two", "2"), "auto").image().explainScale());
        for (String bad : new String[]{"0", "1.5", "\"3\"", "-1"}) {
            Path model = withExplainScale(dir, "bad" + Math.abs(bad.hashCode()), bad);
            ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelLoader.load(model, "auto"), bad);
            assertTrue(e.getMessage().contains("image.explainScale") && e.getMessage().contains("whole number"), e.getMessage());
        }
    }

    private static Path withExplainScale(Path dir, String name, String value) throws IOException {
        Path copy = copyOf(MANIFEST_MODEL, dir.resolve(name));
        Path manifest = copy.resolve(ModelLoader.MANIFEST);
        Files.writeString(manifest, Files.readString(manifest).replace("\"output\": \"embedding\",",
                "\"output\": \"embedding\", \"explainScale\": " + value + ","));
        return copy;
    }

    /** Copies a model directory; a manifest's relative tokenizer path is made absolute so the copy still loads. */
    static Path copyOf(Path source, Path target) throws IOException {
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path destination = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(destination);
                } else {
                    Files.copy(file, destination, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Path manifest = target.resolve(ModelLoader.MANIFEST);
        if (Files.exists(manifest)) {
            String absoluteTokenizer = source.resolve("../clip-tokenizer/tokenizer.json").toAbsolutePath().normalize().toString();
            Files.writeString(manifest, Files.readString(manifest).replace("../clip-tokenizer/tokenizer.json", absoluteTokenizer));
        }
        return target;
    }
}
