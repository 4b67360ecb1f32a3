package io.clipstream.encoders.image;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** libwebp is extracted under the project's cache, not the shared temporary directory, unless the operator says so. */
class WebpNativeDirectoryTest {

    @Test
    void theDecoderPointsTheBindingAtTheCacheUnlessTheOperatorChoseADirectory() throws Exception {
        String chosen = System.getProperty(WebpNativeDirectory.PROPERTY);
        try {
            System.clearProperty(WebpNativeDirectory.PROPERTY);
            WebpNativeDirectory.configure();
            Path directory = Path.of(System.getProperty(WebpNativeDirectory.PROPERTY));
            assertEquals(WebpNativeDirectory.DEFAULT.toAbsolutePath(), directory);
            assertTrue(Files.isDirectory(directory));

            System.setProperty(WebpNativeDirectory.PROPERTY, "/srv/clipstream/native");
            WebpNativeDirectory.configure();
            assertEquals("/srv/clipstream/native", System.getProperty(WebpNativeDirectory.PROPERTY));
        } finally {
            if (chosen == null) {
                System.clearProperty(WebpNativeDirectory.PROPERTY);
            } else {
                System.setProperty(WebpNativeDirectory.PROPERTY, chosen);
            }
            WebpNativeDirectory.configure();
        }
    }

    @Test
    void aWebpDecodeExtractsTheLibraryThere() throws Exception {
        new ImageDecoder(DecodeLimits.DEFAULT).decode(
                Files.readAllBytes(Path.of("src/test/resources/fixtures/webp/sharp-64x200-q80.webp")), "fixture");
        Path directory = Path.of(System.getProperty(WebpNativeDirectory.PROPERTY));
        try (var files = Files.list(directory)) {
            assertTrue(files.anyMatch(file -> file.getFileName().toString().endsWith("libwebp-imageio.so")),
                    "libwebp was not extracted to " + directory);
        }
    }
}
