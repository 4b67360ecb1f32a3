package io.clipstream.index;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGKILL while runs are being sealed, written, built and merged: a separate JVM applies a stream of 50,000 upserts,
 * updates and deletes to an index with small runs (so a seal, a graph build or a merge is in flight at nearly every
 * moment) and checkpoints after each batch, as a store's commits do; it is killed three times, each restart resuming
 * from the offset its reopened segments cover, as Kafka Streams replays the changelog. The final state must hold
 * exactly the right items with their current vectors: no vector lost, none from a deleted item.
 */
class SegmentCrashTest {

    static final int CHANGES = 50_000;
    static final int IDS = 20_000;
    static final int BATCH = 500;
    static final int LAG_BATCHES = 8;
    static final long SEED = 8;

    @TempDir
    Path dir;

    /**
     * The killed process: opens the index, resumes after what it covers, checkpoints after every batch. Once it has
     * persisted {@code args[1]} changes past where it resumed, it stops at the first batch whose apply left sealed runs
     * unwritten or unbuilt, before the checkpoint that would cover them, says so and waits there to be killed: the
     * kill then always comes mid-seal, whatever the machine's speed.
     */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            Path where = Path.of(args[0]);
            long progress = Long.parseLong(args[1]);
            List<IndexChange> changes = SegmentPersistenceTest.changes(SEED, CHANGES, IDS);
            try (SegmentMaintenance maintenance = new SegmentMaintenance(2);
                 SegmentedIndex index = SegmentedIndex.open("crash", where, 32, "m", settings(), segments(),
                         FullPrecisionSource.NONE, maintenance)) {
                long covered = index.coveredOffset().orElse(-1);
                System.out.println("opened " + covered + " " + index.size());
                for (int from = (int) covered + 1; from < changes.size(); from += BATCH) {
                    int to = Math.min(changes.size(), from + BATCH);
                    index.apply(changes.subList(from, to));
                    IndexStats stats = index.stats();
                    boolean inFlight = stats.pendingPersistence() + stats.withoutGraph() > 0;
                    if (inFlight && index.persistedCoverage() >= covered + progress) {
                        System.out.println("paused at " + to + " covered " + index.persistedCoverage() + " in-flight true");
                        Thread.sleep(Long.MAX_VALUE);
                    }
                    index.checkpoint();
                    // Keep the stream at most a few batches ahead of what is on disk, as Kafka Streams' commits pace
                    // a store: otherwise, on a slow machine, the whole stream is applied before anything persists.
                    while (to - index.persistedCoverage() > LAG_BATCHES * BATCH) {
                        Thread.sleep(5);
                        index.checkpoint();
                    }
                    System.out.println("applied " + to + " covered " + index.persistedCoverage() + " in-flight " + inFlight
                            + " (" + stats.pendingPersistence() + " runs unwritten, " + stats.withoutGraph() + " vectors without a graph)");
                }
                System.out.println("done");
                Thread.sleep(Long.MAX_VALUE);
            }
        }
    }

    static AnnSettings settings() {
        return new AnnSettings(16, 48, 2f, 48, 0, AnnSettings.Compression.INT8_FLOAT32, 0.0);
    }

    static SegmentSettings segments() {
        return new SegmentSettings(256, 3, Duration.ofMillis(100), 2, Duration.ZERO, SegmentSettings.DEFAULT_MAX_STATE_AGE);
    }

    @Test
    void killedMidSealAndMergeThreeTimesTheIndexReopensToExactlyTheRightItems() throws Exception {
        Path where = dir.resolve("index");
        List<Long> reopenedAt = new ArrayList<>();
        List<String> lastLines = new ArrayList<>();
        int inFlightKills = 0;
        for (int kill = 0; kill < 3; kill++) {
            Process child = start(where, 2_000L * (kill + 1));
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String opened = out.readLine();
                assertTrue(opened != null && opened.startsWith("opened "), "the child opened its index: " + opened);
                reopenedAt.add(Long.parseLong(opened.split(" ")[1]));
                // The child persists a good way past where it resumed, then pauses at the next batch that left runs
                // unwritten or unbuilt (a seal, a build or a merge in flight); at the end of the stream, kill it anyway.
                String line;
                String last = opened;
                while ((line = out.readLine()) != null && !line.equals("done")) {
                    last = line;
                    if (line.startsWith("paused ")) {
                        inFlightKills++;
                        break;
                    }
                    assertTrue(line.startsWith("applied "), "the child kept applying: " + line);
                }
                lastLines.add(last);
                child.destroyForcibly(); // SIGKILL: no close, no last manifest
                assertTrue(child.waitFor(1, TimeUnit.MINUTES), "the child died");
            } finally {
                child.destroyForcibly();
            }
        }
        assertEquals(3, inFlightKills, "every kill came while runs were unwritten or unbuilt; the last line before each: " + lastLines);
        assertTrue(reopenedAt.get(1) > 0 && reopenedAt.get(2) > reopenedAt.get(1),
                "each restart loaded what the last one had persisted and replayed only the rest: " + reopenedAt);

        List<IndexChange> changes = SegmentPersistenceTest.changes(SEED, CHANGES, IDS);
        try (SegmentMaintenance maintenance = new SegmentMaintenance(2);
             SegmentedIndex index = SegmentedIndex.open("crash", where, 32, "m", settings(), segments(),
                     FullPrecisionSource.NONE, maintenance)) {
            long covered = index.coveredOffset().orElse(-1);
            assertTrue(covered >= 0, index.openedHow());
            index.apply(changes.subList((int) covered + 1, changes.size()));
            SegmentPersistenceTest.assertMatchesModel(index, SegmentPersistenceTest.model(changes));
            assertTrue(index.awaitQuiet(Duration.ofMinutes(3)));
            SegmentPersistenceTest.assertMatchesModel(index, SegmentPersistenceTest.model(changes));
        }
    }

    private static Process start(Path where, long progress) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java));
        for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (argument.startsWith("--add-modules") || argument.startsWith("--enable-native-access")
                    || argument.startsWith("-Djvector")) {
                command.add(argument);
            }
        }
        command.addAll(List.of("-Xmx512m", "-cp", System.getProperty("java.class.path"), Child.class.getName(), where.toString(),
                Long.toString(progress)));
        return new ProcessBuilder(command).redirectError(new File(where.getParent().toFile(), "child-" + System.nanoTime() + ".err"))
                .start();
    }
}
