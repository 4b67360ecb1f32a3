package io.clipstream.tools.bench;

import io.clipstream.common.ProgressBar;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;

/**
 * Decides when produced items are searchable, by asking the REST API ({@code GET /v1/items/{id}})
 * as a client would. An item lookup finds exactly what a search can return: the store keeps RocksDB
 * and the index in step, with no cache in between. Polls are a few cheap requests apart, so the
 * watching itself takes little of the CPU being measured.
 */
final class SearchableWatcher {

    private final BenchRestClient rest;
    private final Duration pollInterval;
    private final Duration timeout;

    SearchableWatcher(BenchRestClient rest, Duration pollInterval, Duration timeout) {
        this.rest = rest;
        this.pollInterval = pollInterval;
        this.timeout = timeout;
    }

    /**
     * Waits until the last id written to each partition is indexed, and returns when it saw that
     * ({@link System#nanoTime()}). The index consumes each partition in offset order, so by then
     * every earlier record of the partition is indexed too; this costs one request per partition
     * per poll however many records there are.
     */
    long awaitLastOfEachPartition(List<String> lastIds, String what) {
        List<String> pending = new ArrayList<>(lastIds);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            pending.removeIf(rest::isIndexed);
            long now = System.nanoTime();
            if (pending.isEmpty()) {
                return now;
            }
            pauseOrFail(deadline, what, pending.size() + " partitions still behind, e.g. waiting for '" + pending.get(0) + "'");
        }
    }

    /**
     * Waits until every id is indexed and returns when it saw the last one. Each partition's ids are
     * checked in order and a poll stops at the first one missing, so a record is usually asked about
     * once or twice; the answer does not depend on that order, only the cost does.
     */
    long awaitEvery(Collection<List<String>> idsByPartition, String what, ProgressBar bar) {
        List<Deque<String>> pending = new ArrayList<>();
        for (List<String> ids : idsByPartition) {
            pending.add(new ArrayDeque<>(ids));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Deque<String> partition : pending) {
                while (!partition.isEmpty() && rest.isIndexed(partition.peekFirst())) {
                    partition.removeFirst();
                    bar.advance(1);
                }
            }
            long now = System.nanoTime();
            pending.removeIf(Deque::isEmpty);
            if (pending.isEmpty()) {
                bar.finish();
                return now;
            }
            int left = pending.stream().mapToInt(Deque::size).sum();
            pauseOrFail(deadline, what, left + " items not indexed yet, e.g. '" + pending.get(0).peekFirst() + "'");
        }
    }

    /**
     * Waits until the gauge (summed over its series on {@code /metrics}) is at most {@code atMost}, and returns when it
     * saw that: how the benchmark tells when the index's background work has caught up.
     */
    long awaitGaugeAtMost(String gauge, double atMost, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            double value;
            try {
                value = rest.gauge(gauge);
            } catch (IllegalStateException slow) {
                // A scrape that times out on a saturated machine says nothing about the gauge: ask again.
                pauseOrFail(deadline, what, "GET /metrics failed: " + slow.getMessage());
                continue;
            }
            long now = System.nanoTime();
            if (value <= atMost) {
                return now;
            }
            pauseOrFail(deadline, what, gauge + " is " + value);
        }
    }

    /** Throws unless every id is indexed now (a spot check after {@link #awaitLastOfEachPartition}). */
    void requireIndexed(List<String> ids, String what) {
        List<String> missing = ids.stream().filter(id -> !rest.isIndexed(id)).limit(5).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException(what + ": the last record of every partition is indexed but " + missing
                    + " are not; the index skipped or refused records (see the clipstream.dlq topic and the log)");
        }
    }

    private void pauseOrFail(long deadline, String what, String state) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException(what + " not searchable within " + timeout + ": " + state
                    + "; see the log for refused records, or raise the timeout on a slow machine");
        }
        try {
            Thread.sleep(pollInterval);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + what, e);
        }
    }
}
