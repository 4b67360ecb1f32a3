package io.clipstream.tools.bench;

import io.clipstream.encoders.ClipModel;
import io.clipstream.topology.ImagePreparation;
import io.clipstream.topology.StageTimes;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The embedder's preparation stage alone (decode, preprocess, thumbnail: {@link ImagePreparation},
 * the code the preparation pool runs for an image sent as bytes) on a pool of N threads: each call
 * prepares one batch, its images spread over the pool, as the embedder prepares a batch. Beside
 * images/s it reports the pool's CPU time per image: if that stays the same from 1 thread to 2,
 * the threads do not get in each other's way, and images/s grows with the cores that are free
 * (on a shared machine, fewer than the threads).
 */
final class PreparationBenchmark {

    private final ThroughputMeter meter;

    PreparationBenchmark(ThroughputMeter meter) {
        this.meter = meter;
    }

    /** Images/s, and CPU milliseconds per image over every image the pool prepared (warm-up included). */
    record Figure(Throughput throughput, double cpuMsPerImage) {
    }

    Figure measure(ClipModel model, List<BenchImage> images, int threads, int batch) {
        ImagePreparation preparation = new ImagePreparation(model, new StageTimes());
        List<Thread> workers = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "bench-prepare-" + workers.size());
            workers.add(thread);
            return thread;
        });
        AtomicLong prepared = new AtomicLong();
        try {
            Throughput throughput = meter.measure(batch, k -> {
                List<Future<?>> futures = new ArrayList<>(batch);
                for (BenchImage image : BatchCycle.batch(images, k, batch)) {
                    futures.add(pool.submit(() -> preparation.inline(image.name(), image.bytes())));
                }
                for (Future<?> f : futures) {
                    try {
                        f.get();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted", e);
                    } catch (ExecutionException e) {
                        throw new IllegalStateException("preparing a benchmark image failed: " + e.getCause().getMessage(), e.getCause());
                    }
                }
                prepared.addAndGet(batch);
            });
            ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
            long nanos = workers.stream().mapToLong(t -> Math.max(0, cpu.getThreadCpuTime(t.threadId()))).sum();
            return new Figure(throughput, nanos / 1e6 / prepared.get());
        } finally {
            pool.shutdownNow();
        }
    }
}
