package io.clipstream.encoders;

import io.clipstream.common.ModelLoadException;
import io.clipstream.common.EncodingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clipstream.cli.ClipstreamCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClipModelTest {

    static final Path MODEL = Path.of("models/fixture-tiny");
    static final Path IMAGE = Path.of("src/test/resources/fixtures/model-parity/images");

    @Test
    void cudaOnTheCpuBuildFallsBackToCpu() {
        EncoderSettings settings = EncoderSettings.cpu(MODEL).withDevice(DeviceRequest.parse("cuda"), false);
        try (ClipModel model = ClipModel.open(settings)) {
            assertEquals("cpu", model.device());
            assertEquals(32, model.text().embed(List.of("a red ball")).get(0).vector().length);
        }
    }

    @Test
    void strictCudaOnTheCpuBuildFailsClearly() {
        EncoderSettings settings = EncoderSettings.cpu(MODEL).withDevice(DeviceRequest.parse("cuda:0"), true);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ClipModel.open(settings));
        assertTrue(e.getMessage().contains("device.strict=true"), e.getMessage());
        assertTrue(e.getMessage().contains("-Pgpu"), e.getMessage());
    }

    @Test
    void batchedAndSingleTextEmbeddingsAgree() {
        try (ClipModel model = ClipModel.open(EncoderSettings.cpu(MODEL))) {
            List<String> texts = List.of("a", "a cat sitting on a very long red sofa in the sun", "two dogs");
            List<TextEmbedding> batched = model.text().embed(texts);
            for (int i = 0; i < texts.size(); i++) {
                float[] single = model.text().embed(List.of(texts.get(i))).get(0).vector();
                assertTrue(Vectors.dot(single, batched.get(i).vector()) > 0.99999, "text " + i + " changes with padding");
                assertEquals(1.0, Vectors.dot(single, single), 1e-5, "unit length");
            }
        }
    }

    @Test
    void concurrentCallersGetTheirOwnInputBuffers() throws Exception {
        // The encoders reuse direct input buffers; callers at once (stream threads, searches)
        // must never see each other's inputs, including more callers than buffers are kept.
        try (ClipModel model = ClipModel.open(EncoderSettings.cpu(MODEL))) {
            List<String> texts = List.of("a red ball", "two dogs on a sofa", "a small blue house by the sea", "x");
            List<byte[]> images;
            try (var files = Files.list(IMAGE)) {
                images = files.sorted().limit(4).map(path -> {
                    try {
                        return Files.readAllBytes(path);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }).toList();
            }
            float[][] expectedTexts = texts.stream().map(t -> model.text().embed(List.of(t)).get(0).vector()).toArray(float[][]::new);
            float[][] expectedImages = images.stream().map(i -> model.image().embed(List.of(i)).get(0)).toArray(float[][]::new);
            int callers = ImageEncoder.INPUT_BUFFERS_RETAINED * 2;
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(callers)) {
                List<java.util.concurrent.Future<?>> runs = new java.util.ArrayList<>();
                for (int caller = 0; caller < callers; caller++) {
                    int which = caller % texts.size();
                    runs.add(pool.submit(() -> {
                        for (int round = 0; round < 50; round++) {
                            float[] text = model.text().embed(List.of(texts.get(which))).get(0).vector();
                            float[] image = model.image().embed(List.of(images.get(which))).get(0);
                            assertTrue(Vectors.dot(text, expectedTexts[which]) > 0.99999, "text " + which + " round " + round);
                            assertTrue(Vectors.dot(image, expectedImages[which]) > 0.99999, "image " + which + " round " + round);
                        }
                        return null;
                    }));
                }
                for (var run : runs) {
                    run.get();
                }
            }
        }
    }

    @Test
    void emptyTextIsATypedError() {
        try (ClipModel model = ClipModel.open(EncoderSettings.cpu(MODEL))) {
            for (String text : new String[]{"", "   \t\n "}) {
                EncodingException e = assertThrows(EncodingException.class, () -> model.text().embed(List.of("ok", text)));
                assertEquals(EncodingException.Reason.EMPTY_TEXT, e.reason());
                assertEquals("text[1]", e.input());
            }
        }
    }

    @Test
    void embedCommandPrintsVectorsAndErrorsAsJson(@TempDir Path dir) throws Exception {
        Path image;
        try (var files = Files.list(IMAGE)) {
            image = files.sorted().findFirst().orElseThrow();
        }
        Path notAnImage = Files.writeString(dir.resolve("notes.txt"), "hello");
        StringWriter out = new StringWriter();
        CommandLine cli = ClipstreamCommand.newCommandLine();
        cli.setOut(new PrintWriter(out));

        int exit = cli.execute("embed", "--model", MODEL.toString(), "--text", "a yellow banana",
                "--image", image.toString(), "--image", notAnImage.toString());

        assertEquals(1, exit, "one input failed, so the exit code says so");
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertEquals("fixture-tiny", json.get("model").asText());
        JsonNode embeddings = json.get("embeddings");
        assertEquals(3, embeddings.size());
        assertEquals(32, embeddings.get(0).get("vector").size());
        assertFalse(embeddings.get(0).get("truncated").asBoolean());
        assertEquals(32, embeddings.get(1).get("vector").size());
        assertTrue(embeddings.get(2).get("error").asText().contains("notes.txt"), embeddings.get(2).toString());
    }
}
