package io.clipstream.tools.bench;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * REST searches at a steady rate while a load runs, on their own connection and thread: the latency a user sees
 * while the index takes a burst and builds its graphs behind it. A search that fails or comes back partial is
 * counted, not timed.
 */
final class BurstSearcher implements AutoCloseable {

    /** The most latencies kept (about 3 hours at 10 a second). */
    private static final int MAX_SAMPLES = 100_000;

    private final BenchRestClient rest;
    private final ScheduledExecutorService scheduler;
    private final long[] nanos = new long[MAX_SAMPLES];
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();

    /** What the searches saw: latency of the whole answers, and how many were refused, failed or partial. */
    record Result(LatencySummary latency, int failedOrPartial) {
    }

    private BurstSearcher(int port, List<String> texts, int k, long intervalMillis) {
        this.rest = new BenchRestClient(port);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "bench-burst-searches");
            thread.setDaemon(true);
            return thread;
        });
        AtomicInteger next = new AtomicInteger();
        scheduler.scheduleAtFixedRate(() -> {
            String text = texts.get(next.getAndIncrement() % texts.size());
            try {
                BenchRestClient.SearchReply reply = rest.search(BenchRestClient.textSearch(text, "IMAGE", k));
                int at = count.get();
                if (reply.missingPartitions() > 0 || at >= MAX_SAMPLES) {
                    failed.incrementAndGet();
                } else {
                    nanos[at] = reply.elapsedNanos();
                    count.incrementAndGet();
                }
            } catch (RuntimeException e) {
                failed.incrementAndGet();
            }
        }, 0, intervalMillis, TimeUnit.MILLISECONDS);
    }

    static BurstSearcher start(int port, List<String> texts, int k, long intervalMillis) {
        return new BurstSearcher(port, texts, k, intervalMillis);
    }

    /** Stops the searches and sums them up; null latency when none was answered whole. */
    Result stop() {
        close();
        int answered = count.get();
        long[] taken = java.util.Arrays.copyOf(nanos, answered);
        return new Result(answered == 0 ? null : LatencySummary.ofNanos(taken), failed.get());
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        rest.close();
    }
}
