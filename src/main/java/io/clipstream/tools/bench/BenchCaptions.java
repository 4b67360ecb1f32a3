package io.clipstream.tools.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The 64 caption-like texts the text benchmarks embed (short product-photo captions to long scene descriptions). */
public final class BenchCaptions {

    private static final String RESOURCE = "captions.txt";

    private BenchCaptions() {
    }

    public static List<String> load() {
        try (InputStream in = BenchCaptions.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("io/clipstream/tools/bench/" + RESOURCE + " is missing from the class path; rebuild the jar");
            }
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                return reader.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the benchmark captions: " + e.getMessage(), e);
        }
    }
}
