package io.clipstream.tools.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What {@code bench embed} measures.
 *
 * @param models    model directories, measured one after another
 * @param batches   batch sizes
 * @param budget    wall-clock time per measurement (after a warm-up of a fifth of it)
 * @param threads   ONNX Runtime intra-op threads (and torch's, for the baseline)
 * @param torch     how to run the torch baseline; empty to skip it
 * @param imagesDir benchmark images to use instead of generated ones
 */
public record EmbedBenchSettings(List<Path> models, List<Integer> batches, Duration budget, int threads,
                                 Optional<TorchBaseline.Settings> torch, Optional<Path> imagesDir) {

    /** Generated benchmark images: 16, half JPEG and half PNG, 512 to 800 pixels a side. */
    static final int GENERATED_IMAGES = 16;
    static final long IMAGE_SEED = 20240602L;

    public EmbedBenchSettings {
        models = List.copyOf(models);
        batches = List.copyOf(batches);
        if (models.isEmpty()) {
            throw new IllegalArgumentException("give at least one model directory");
        }
        if (batches.isEmpty() || batches.stream().anyMatch(b -> b < 1)) {
            throw new IllegalArgumentException("batch sizes must be positive integers, got " + batches);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
    }

    int largestBatch() {
        return batches.stream().mapToInt(Integer::intValue).max().orElseThrow();
    }
}
