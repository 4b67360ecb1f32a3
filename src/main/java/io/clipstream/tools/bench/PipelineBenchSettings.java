package io.clipstream.tools.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one `clipstream bench pipeline` run does.
 *
 * @param model         the model the stack serves; its id and dimension go on every benchmark vector
 * @param vectorCounts  index sizes to load and measure search latency at, ascending (each step loads the difference)
 * @param queries       timed REST searches per index size
 * @param warmupQueries untimed searches before them, so the JIT and caches are warm
 * @param images        image events for the embedding-included figure with {@code model}
 * @param partitions    partitions of every clipstream topic
 * @param dataDir       where the embedded broker and state live; emptied at start
 * @param httpPort      the REST port of the stack
 * @param embedModel    a second (larger) model to repeat the image figure with, in a fresh stack
 * @param embedImages   image events for that repeat
 * @param seed          of the random vectors, so two runs load the same data
 * @param timeout       how long any one phase may take to become searchable before the run fails
 * @param searchIntervalMs how often a search is sent while a vector step loads and its graphs are built
 * @param data          what the vectors look like
 * @param restart       after the vector steps, restart clipstream on its state directory and time it until ready
 */
public record PipelineBenchSettings(Path model, List<Integer> vectorCounts, int queries, int warmupQueries, int images,
                                    int partitions, Path dataDir, int httpPort, Optional<Path> embedModel, int embedImages,
                                    long seed, Duration timeout, long searchIntervalMs, VectorData data,
                                    boolean restart) {

    public PipelineBenchSettings {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(embedModel, "embedModel");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(data, "data");
        vectorCounts = List.copyOf(vectorCounts);
        if (vectorCounts.isEmpty()) {
            throw new IllegalArgumentException("vectors: give at least one index size, e.g. 10000,100000");
        }
        int previous = 0;
        for (int count : vectorCounts) {
            if (count <= previous) {
                throw new IllegalArgumentException("vectors " + vectorCounts + ": sizes must be positive and ascending, "
                        + "since each step adds vectors to the same index");
            }
            previous = count;
        }
        requirePositive("queries", queries);
        if (warmupQueries < 0) {
            throw new IllegalArgumentException("warm-up queries must be >= 0, got " + warmupQueries);
        }
        if (images < 0 || embedImages < 0) {
            throw new IllegalArgumentException("images must be >= 0 (0 skips the figure), got " + images + " and " + embedImages);
        }
        requirePositive("partitions", partitions);
        if (httpPort < 1 || httpPort > 65535) {
            throw new IllegalArgumentException("http port must be 1-65535 (the index advertises it to peers), got " + httpPort);
        }
        if (searchIntervalMs < 1) {
            throw new IllegalArgumentException("search interval must be at least 1 ms, got " + searchIntervalMs);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
    }

    private static void requirePositive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + value);
        }
    }
}
