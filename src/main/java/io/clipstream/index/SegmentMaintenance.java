package io.clipstream.index;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The background work of every partition of the JVM, off the stream threads: writing sealed runs to disk, building
 * their graphs, merging segments. Three lanes, each one thread that runs one job at a time; the build and merge lanes
 * share one pool of {@code buildThreads} workers on which a job inserts its nodes in parallel:
 * <ul>
 *   <li>the <b>persist lane</b> writes sealed runs to disk, oldest first, so that what a restart can load keeps up
 *       with the stream even while a long graph build runs (writing a run takes milliseconds, a build of a burst
 *       minutes);</li>
 *   <li>the <b>build lane</b> builds the graph of the oldest segments that have none, so new vectors leave the
 *       exactly scanned tail as soon as the cores allow;</li>
 *   <li>the <b>merge lane</b> runs what the {@link MergePolicy} asks for, so a long merge never holds up the graphs of
 *       fresh segments.</li>
 * </ul>
 * A job's partition may close while it runs: the job then stops at its next chunk of inserts and its result is
 * discarded. A failing job is logged and its partition left alone by that lane for {@link #BACKOFF_NANOS}, so a full
 * disk does not turn into a busy loop.
 */
public final class SegmentMaintenance implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentMaintenance.class);
    static final long BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long POLL_MILLIS = 250;
    private static volatile SegmentMaintenance shared;

    private final ForkJoinPool pool;
    private final Set<SegmentedIndex> partitions = ConcurrentHashMap.newKeySet();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final List<Thread> lanes = new ArrayList<>();
    private volatile boolean stopped;
    private long signals;

    /** A job one lane runs for one partition. */
    interface Job {
        void run(ForkJoinPool pool) throws Exception;
    }

    /** Where a lane looks for work. */
    enum Lane { PERSIST, BUILD, MERGE }

    public SegmentMaintenance(int buildThreads) {
        this.pool = new ForkJoinPool(buildThreads);
        for (Lane lane : Lane.values()) {
            Thread thread = new Thread(() -> loop(lane), "clipstream-index-" + lane.name().toLowerCase());
            thread.setDaemon(true);
            lanes.add(thread);
            thread.start();
        }
    }

    /**
     * The JVM's shared instance, made on first use with {@code buildThreads} workers: every store of a JVM shares the
     * cores. Never closed; its threads are daemons.
     */
    public static SegmentMaintenance shared(int buildThreads) {
        SegmentMaintenance current = shared;
        if (current == null) {
            synchronized (SegmentMaintenance.class) {
                current = shared;
                if (current == null) {
                    current = new SegmentMaintenance(buildThreads);
                    shared = current;
                }
            }
        }
        return current;
    }

    void register(SegmentedIndex partition) {
        partitions.add(partition);
        wake();
    }

    void unregister(SegmentedIndex partition) {
        partitions.remove(partition);
    }

    /** Tells the lanes that some partition may have work. */
    void wake() {
        lock.lock();
        try {
            signals++;
            work.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void loop(Lane lane) {
        while (!stopped) {
            long seen;
            lock.lock();
            try {
                seen = signals;
            } finally {
                lock.unlock();
            }
            boolean ran = false;
            for (SegmentedIndex partition : partitions) {
                if (stopped) {
                    return;
                }
                Job job = nextJob(lane, partition);
                if (job != null) {
                    run(lane, partition, job);
                    ran = true;
                }
            }
            if (!ran) {
                awaitSignal(seen);
            }
        }
    }

    private Job nextJob(Lane lane, SegmentedIndex partition) {
        try {
            return partition.nextJob(lane, System.nanoTime());
        } catch (RuntimeException e) {
            LOG.error("index {} lane of {} could not plan its next job; retrying in {} s", lane, partition.name(),
                    TimeUnit.NANOSECONDS.toSeconds(BACKOFF_NANOS), e);
            partition.backOff(lane, System.nanoTime() + BACKOFF_NANOS);
            return null;
        }
    }

    private void run(Lane lane, SegmentedIndex partition, Job job) {
        try {
            job.run(pool);
        } catch (SegmentedIndex.ClosedException e) {
            LOG.debug("{}: {} job stopped, the partition closed", partition.name(), lane);
        } catch (Exception | LinkageError e) {
            if (partition.isClosed()) {
                LOG.debug("{}: {} job failed after the partition closed: {}", partition.name(), lane, e.toString());
                return;
            }
            LOG.error("{}: index {} job failed; the partition keeps answering (segments without a graph are scanned "
                    + "exactly) and the job is retried in {} s", partition.name(), lane,
                    TimeUnit.NANOSECONDS.toSeconds(BACKOFF_NANOS), e);
            partition.backOff(lane, System.nanoTime() + BACKOFF_NANOS);
        }
    }

    private void awaitSignal(long seen) {
        lock.lock();
        try {
            if (signals == seen && !stopped) {
                work.await(POLL_MILLIS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        } finally {
            lock.unlock();
        }
    }

    /** Stops the lanes and the pool (instances made for one benchmark or test; never the shared one). */
    @Override
    public void close() {
        if (this == shared) {
            throw new IllegalStateException("the shared segment maintenance lives as long as the JVM");
        }
        stopped = true;
        wake();
        for (Thread lane : lanes) {
            try {
                lane.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        pool.shutdownNow();
    }
}
