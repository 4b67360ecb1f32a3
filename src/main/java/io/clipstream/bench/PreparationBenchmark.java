package io.clipstream.bench;

import io.clipstream.encoders.ClipModel;
import io.clipstream.topology.ImagePreparation;
import io.clipstream.topology.StageTimes;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The embedder's preparation stage alone (decode, preprocess, thumbnail: {@link ImagePreparation},
 * the code the preparation pool runs for an image sent as bytes) on a pool of N threads: each call
 * prepares one batch, its images spread over the pool, as the embedder prepares a batch.
 */
final class PreparationBenchmark {

    private final ThroughputMeter meter;

    PreparationBenchmark(ThroughputMeter meter) {
        this.meter = meter;
    }

    Throughput measure(ClipModel model, List<BenchImage> images, int threads, int batch) {
        ImagePreparation preparation = new ImagePreparation(model, new StageTimes());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            return meter.measure(batch, k -> {
                List<Future<?>> prepared = new ArrayList<>(batch);
                for (BenchImage image : BatchCycle.batch(images, k, batch)) {
                    prepared.add(pool.submit(() -> preparation.inline(image.name(), image.bytes())));
                }
                for (Future<?> f : prepared) {
                    try {
                        f.get();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted", e);
                    } catch (ExecutionException e) {
                        throw new IllegalStateException("preparing a benchmark image failed: " + e.getCause().getMessage(), e.getCause());
                    }
                }
            });
        } finally {
            pool.shutdownNow();
        }
    }
}
