package io.clipstream.tools.bench;

import io.clipstream.watchlist.ConceptMatrix;
import io.clipstream.watchlist.MatrixKernel;
import io.clipstream.watchlist.ScalarMatrixKernel;
import io.clipstream.watchlist.WatchedConcept;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * Per-image cost of scoring a batch of image vectors against C watchlist concepts, on one thread (the stream thread
 * that embedded the batch does it): the embedder's concept matrix with its best kernel, the same blocking in plain
 * Java, and the naive alternative, one dot product per (image, concept) pair in a loop over the concepts.
 */
public final class WatchlistBenchmark {

    /**
     * One measured figure: CPU microseconds per image for one method, dimension and concept count, and the matches
     * one call found (the same for every method, or one of them is wrong).
     */
    public record Row(String method, int dimension, int concepts, int batch, double microsPerImage, long matches) {
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final double seconds;
    private final float threshold;

    /**
     * @param seconds   wall-clock budget per figure, after a warm-up of a fifth of it but at least a second (the vector
     *                  API code is slow until C2 has compiled it)
     * @param threshold every concept's threshold; random unit vectors rarely reach 0.25, as real alerts are rare
     */
    public WatchlistBenchmark(double seconds, float threshold) {
        this.seconds = seconds;
        this.threshold = threshold;
    }

    public List<Row> run(int dimension, int conceptCount, int batch) {
        Random random = new Random(dimension * 1_000_003L + conceptCount);
        List<WatchedConcept> concepts = new ArrayList<>(conceptCount);
        for (int c = 0; c < conceptCount; c++) {
            concepts.add(new WatchedConcept("c" + c, "c" + c, threshold, null, FloatRows.randomUnit(random, dimension)));
        }
        float[] images = new float[batch * dimension];
        for (int r = 0; r < batch; r++) {
            System.arraycopy(FloatRows.randomUnit(random, dimension), 0, images, r * dimension, dimension);
        }
        List<Row> rows = new ArrayList<>();
        ConceptMatrix best = ConceptMatrix.of(concepts, dimension, MatrixKernel.best());
        rows.add(row("matrix (" + MatrixKernel.best().getClass().getSimpleName() + ")", dimension, conceptCount, batch,
                () -> count(best, images, batch)));
        ConceptMatrix scalar = ConceptMatrix.of(concepts, dimension, new ScalarMatrixKernel());
        rows.add(row("matrix (ScalarMatrixKernel)", dimension, conceptCount, batch, () -> count(scalar, images, batch)));
        float[][] vectors = concepts.stream().map(WatchedConcept::vector).toArray(float[][]::new);
        rows.add(row("per-concept loop", dimension, conceptCount, batch, () -> naive(vectors, images, batch, dimension)));
        return rows;
    }

    /** Time to build the concept matrix from the concepts, as the embedder does after a change: milliseconds. */
    public double rebuildMillis(int dimension, int conceptCount) {
        Random random = new Random(7);
        List<WatchedConcept> concepts = new ArrayList<>(conceptCount);
        for (int c = 0; c < conceptCount; c++) {
            concepts.add(new WatchedConcept("c" + c, "c" + c, threshold, null, FloatRows.randomUnit(random, dimension)));
        }
        return measure(() -> ConceptMatrix.of(concepts, dimension).size()) * 1e3;
    }

    private Row row(String method, int dimension, int concepts, int batch, LongSupplier call) {
        long matches = call.getAsLong();
        return new Row(method, dimension, concepts, batch, measure(call) / batch * 1e6, matches);
    }

    private long sink;

    /**
     * CPU seconds per call, on this thread: the thread's CPU time rather than wall-clock time, so that the figure
     * does not count time the thread waited for a core on a shared machine.
     */
    private double measure(LongSupplier call) {
        long warmUntil = System.nanoTime() + (long) (Math.max(1.0, seconds / 5) * 1e9);
        do {
            sink += call.getAsLong();
        } while (System.nanoTime() < warmUntil);
        long calls = 0;
        long start = cpuNanos();
        long budget = (long) (seconds * 1e9);
        long elapsed;
        do {
            sink += call.getAsLong();
            calls++;
            elapsed = cpuNanos() - start;
        } while (elapsed < budget);
        return elapsed / 1e9 / calls;
    }

    private static long cpuNanos() {
        return THREADS.getCurrentThreadCpuTime();
    }

    /** Keeps the JIT from removing the work. */
    public long sink() {
        return sink;
    }

    private static long count(ConceptMatrix matrix, float[] images, int batch) {
        long[] matches = {0};
        matrix.matches(images, batch, (row, concept, score) -> matches[0]++);
        return matches[0];
    }

    private long naive(float[][] concepts, float[] images, int batch, int dimension) {
        long matches = 0;
        for (int r = 0; r < batch; r++) {
            int offset = r * dimension;
            for (float[] concept : concepts) {
                float score = 0;
                for (int k = 0; k < dimension; k++) {
                    score += images[offset + k] * concept[k];
                }
                if (score >= threshold) {
                    matches++;
                }
            }
        }
        return matches;
    }
}
