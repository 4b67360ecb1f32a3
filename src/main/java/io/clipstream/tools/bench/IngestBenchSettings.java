package io.clipstream.tools.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one {@code clipstream bench ingest} run does.
 *
 * @param model            the model the stack serves and the baselines use
 * @param images           timed image events per phase (after the warm-up)
 * @param warmup           untimed image events before each phase (JIT, ONNX Runtime's first calls, connections)
 * @param batch            embedder.batch.size, and the batch of the {@code bench embed} baseline
 * @param latency          how long the local image server takes to answer each URL
 * @param pipelined        inputs measured with the pipelined embedder (the defaults): inline, url
 * @param serial           inputs measured with the serial embedder ({@code embedder.prepare.threads=0}), in a second stack
 * @param prepareThreads   thread counts to time the preparation stage alone at; empty to skip
 * @param embedBaseline    also time {@code bench embed}'s end-to-end and model-only image figures at {@code batch}
 * @param baselineBudget   wall-clock time per baseline and preparation figure
 * @param partitions       partitions of every topic
 * @param dataDir          where the embedded brokers and state live; emptied at start
 * @param httpPort         the stack's REST port
 * @param overrides        further clipstream settings for every stack (key=value), e.g. fetch.max.per.host
 * @param imagesDir        images to use instead of the 16 generated photo-sized ones
 * @param timeout          how long one phase may take to become searchable before the run fails
 * @param serialFirst      start the serial stack first; the stack that runs first also pays for most JIT compiling
 * @param jitWarmup        events of each measured source sent through a throwaway stack before the timed ones, so that
 *                         every timed stack starts from the same JIT-compiled JVM; 0 for none
 */
public record IngestBenchSettings(Path model, int images, int warmup, int batch, Duration latency, List<ImageSource> pipelined,
                                  List<ImageSource> serial, List<Integer> prepareThreads, boolean embedBaseline,
                                  Duration baselineBudget, int partitions, Path dataDir, int httpPort, Map<String, String> overrides,
                                  Optional<Path> imagesDir, Duration timeout, boolean serialFirst, int jitWarmup) {

    /** How the phase's image events carry their image. */
    public enum ImageSource { INLINE, URL }

    public IngestBenchSettings {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(dataDir, "dataDir");
        pipelined = List.copyOf(pipelined);
        serial = List.copyOf(serial);
        prepareThreads = List.copyOf(prepareThreads);
        overrides = Map.copyOf(overrides);
        if (jitWarmup < 0) {
            throw new IllegalArgumentException("--jit-warmup must be >= 0, got " + jitWarmup);
        }
        if (images < 1 || warmup < 0) {
            throw new IllegalArgumentException("--images must be >= 1 and --warmup >= 0, got " + images + " and " + warmup);
        }
        if (batch < 1 || batch > 4096) {
            throw new IllegalArgumentException("--batch must be in 1..4096, got " + batch);
        }
        if (latency.isNegative()) {
            throw new IllegalArgumentException("--latency-ms must be >= 0, got " + latency.toMillis());
        }
        if (prepareThreads.stream().anyMatch(t -> t < 1)) {
            throw new IllegalArgumentException("--prepare-threads must be positive, got " + prepareThreads);
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("--partitions must be >= 1, got " + partitions);
        }
        if (httpPort < 1 || httpPort > 65535) {
            throw new IllegalArgumentException("http port must be 1-65535, got " + httpPort);
        }
        if (baselineBudget.isNegative() || baselineBudget.isZero() || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("--baseline-seconds and --timeout must be positive");
        }
    }
}
