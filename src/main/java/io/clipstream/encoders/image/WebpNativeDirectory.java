package io.clipstream.encoders.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the WebP binding extracts native libwebp at its first decode: unless the operator chose a place
 * ({@code -Dcom.luciad.imageio.webp.tmpdir}), {@code .clipstream-cache/webp} of the working directory, beside DJL's
 * tokenizer library, rather than the shared {@code /tmp}, where a copy left by a killed process would stay for good.
 * Falls back to the binding's default ({@code java.io.tmpdir}) when that directory cannot be made.
 */
final class WebpNativeDirectory {

    static final String PROPERTY = "com.luciad.imageio.webp.tmpdir";
    static final Path DEFAULT = Path.of(".clipstream-cache", "webp");

    private WebpNativeDirectory() {
    }

    /** Settles the directory before the binding's loader first reads the property; idempotent. */
    static synchronized void configure() {
        if (System.getProperty(PROPERTY) != null) {
            return;
        }
        Path directory = DEFAULT.toAbsolutePath();
        try {
            Files.createDirectories(directory);
        } catch (IOException | SecurityException e) {
            return; // a read-only working directory: java.io.tmpdir it is, as documented
        }
        if (Files.isWritable(directory)) {
            System.setProperty(PROPERTY, directory.toString());
        }
    }
}
