package io.clipstream.index;

import io.clipstream.testing.Await;
import io.clipstream.testing.TestVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Closing a partition while its graph is being built: Kafka Streams may hand the state directory to the task's next
 * owner once the store is closed, so nothing of the partition may still write there after {@code close} returns.
 */
class SegmentCloseTest {

    private static final int DIMENSION = 16;

    @TempDir
    Path dir;

    @Test
    void closeWaitsForARunningBuildAndDeletesTheGraphItWroteForNobody() throws Exception {
        // Lanes stopped, so the test hands out the one job itself and decides when its inserts may run.
        SegmentMaintenance stopped = new SegmentMaintenance(1);
        stopped.close();
        SegmentSettings settings = new SegmentSettings(256, 3, Duration.ofHours(1), 1, Duration.ZERO,
                SegmentSettings.DEFAULT_MAX_STATE_AGE);
        AnnSettings ann = new AnnSettings(16, 64, AnnSettings.DEFAULTS.overquery(), 64, 0,
                AnnSettings.Compression.INT8_FLOAT32, 0.0);
        Path where = dir.resolve("index");
        SegmentedIndex index = SegmentedIndex.open("closing", where, DIMENSION, "m", ann, settings,
                FullPrecisionSource.NONE, stopped);
        Random random = new Random(7);
        List<IndexChange> changes = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            changes.add(IndexChange.upsert(SegmentedIndexTest.vector("item-" + i,
                    TestVectors.randomUnitVector(random, DIMENSION), Map.of()), i, i));
        }
        index.apply(changes);
        SegmentMaintenance.Job build = index.nextJob(SegmentMaintenance.Lane.BUILD, System.nanoTime());
        assertNotNull(build, "two sealed runs wait for their graph");

        // The pool's only worker is held, so the build passes its last check of the close and then waits on its inserts.
        ForkJoinPool pool = new ForkJoinPool(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch held = new CountDownLatch(1);
        pool.execute(() -> {
            held.countDown();
            awaitQuietly(release);
        });
        held.await();
        Thread builder = new Thread(() -> {
            try {
                build.run(pool);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, "test-build");
        builder.start();
        awaitWaitingOrDone(builder);
        Thread closer = new Thread(index::close, "test-close");
        closer.start();
        awaitWaitingOrDone(closer);
        release.countDown();
        closer.join();
        builder.join();
        pool.shutdownNow();

        try (Stream<Path> files = Files.list(where)) {
            List<String> graphs = files.map(file -> file.getFileName().toString())
                    .filter(name -> name.startsWith("graph-")).toList();
            assertEquals(List.of(), graphs, "the manifest at close names no graph, so none may be left behind");
        }
        try (SegmentedIndex reopened = SegmentedIndex.open("closing", where, DIMENSION, "m", ann, settings,
                FullPrecisionSource.NONE, stopped)) {
            assertEquals(600, reopened.size(), reopened.openedHow());
            assertTrue(reopened.coveredOffset().isPresent(), reopened.openedHow());
        }
    }

    private static void awaitWaitingOrDone(Thread thread) throws InterruptedException {
        Await.until(Duration.ofMinutes(1), thread.getName() + " parked or finished", () -> !thread.isAlive()
                || thread.getState() == Thread.State.WAITING || thread.getState() == Thread.State.TIMED_WAITING);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
