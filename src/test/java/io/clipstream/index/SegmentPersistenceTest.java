package io.clipstream.index;

import io.clipstream.testing.TestVectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Persisted segments: what a manifest covers, that reloaded segments answer exactly as before, and that anything
 * untrustworthy (a damaged manifest, run or graph, another model, a manifest too old) leads to a rebuild.
 */
class SegmentPersistenceTest {

    private static final int DIMENSION = 32;
    private static final int K = 10;
    private static SegmentMaintenance maintenance;

    @TempDir
    Path dir;

    @BeforeAll
    static void startMaintenance() {
        maintenance = new SegmentMaintenance(2);
    }

    @AfterAll
    static void stopMaintenance() {
        maintenance.close();
    }

    private static SegmentSettings segments() {
        return new SegmentSettings(256, 3, Duration.ofMillis(50), 2, Duration.ZERO, SegmentSettings.DEFAULT_MAX_STATE_AGE);
    }

    private static AnnSettings ann(AnnSettings.Compression compression) {
        AnnSettings d = AnnSettings.DEFAULTS;
        return new AnnSettings(16, 64, d.overquery(), 64, 0, compression, 0.0);
    }

    private SegmentedIndex open(Path where, String model, AnnSettings ann, SegmentSettings settings) {
        return SegmentedIndex.open("persist", where, DIMENSION, model, ann, settings, FullPrecisionSource.NONE, maintenance);
    }

    /** A deterministic stream of upserts, updates and deletes, its offsets the positions in the list. */
    static List<IndexChange> changes(long seed, int count, int ids) {
        Random random = new Random(seed);
        List<IndexChange> changes = new ArrayList<>(count);
        for (int offset = 0; offset < count; offset++) {
            String id = "item-" + random.nextInt(ids);
            if (random.nextInt(8) == 0) {
                changes.add(IndexChange.removal(id, offset, offset));
            } else {
                changes.add(IndexChange.upsert(SegmentedIndexTest.vector(id, TestVectors.randomUnitVector(random, DIMENSION),
                        Map.of("tenant", random.nextBoolean() ? "a" : "b")), offset, offset));
            }
        }
        return changes;
    }

    /** What the index must hold after the changes: the last upsert of every id not deleted since. */
    static ExactVectorIndex model(List<IndexChange> changes) {
        ExactVectorIndex model = new ExactVectorIndex(DIMENSION, 16);
        for (IndexChange change : changes) {
            if (change.vector() == null) {
                model.remove(change.id());
            } else {
                model.upsert(change.id(), change.vector().vector(), change.vector().filterableFields());
            }
        }
        return model;
    }

    @ParameterizedTest
    @EnumSource(value = AnnSettings.Compression.class, names = {"INT8_FLOAT32", "NONE", "BINARY"})
    void reloadedSegmentsAnswerExactlyAsBeforeTheRestart(AnnSettings.Compression compression) throws Exception {
        List<IndexChange> changes = changes(1, 6_000, 3_000);
        Path where = dir.resolve("index");
        List<float[]> queries = queries(30);
        List<PartitionHits> before = new ArrayList<>();
        int size;
        try (SegmentedIndex index = open(where, "m", ann(compression), segments())) {
            index.apply(changes);
            assertTrue(index.awaitQuiet(Duration.ofMinutes(5)), index.stats().toString());
            assertTrue(index.stats().merges() > 0, "segments were merged before the restart: " + index.stats());
            size = index.size();
            for (float[] query : queries) {
                before.add(index.search(query, K, FieldFilter.NONE, Float.NEGATIVE_INFINITY, SearchOptions.auto()));
                before.add(index.search(query, K, FieldFilter.of(Map.of("tenant", "a")), 0.1f, SearchOptions.auto()));
            }
        }
        try (SegmentedIndex reopened = open(where, "m", ann(compression), segments())) {
            assertEquals(changes.size() - 1, reopened.coveredOffset().orElseThrow(), reopened.openedHow());
            assertEquals(size, reopened.size());
            List<PartitionHits> after = new ArrayList<>();
            for (float[] query : queries) {
                after.add(reopened.search(query, K, FieldFilter.NONE, Float.NEGATIVE_INFINITY, SearchOptions.auto()));
                after.add(reopened.search(query, K, FieldFilter.of(Map.of("tenant", "a")), 0.1f, SearchOptions.auto()));
            }
            assertEquals(before, after, "the same hits, scores and scan counts as before the restart");
            assertMatchesModel(reopened, model(changes));
        }
    }

    @Test
    void aManifestCoversEverythingBeforeTheOldestRecordNotYetOnDisk() throws Exception {
        List<IndexChange> changes = changes(2, 3_000, 10_000);
        Path where = dir.resolve("index");
        SegmentedIndex index = open(where, "m", ann(AnnSettings.Compression.INT8_FLOAT32),
                segments().withIdleAfter(Duration.ofHours(1)));
        try {
            index.apply(changes.subList(0, 2_000));
            assertTrue(index.awaitGraphs(Duration.ofMinutes(5)), index.stats().toString());
            index.checkpoint();
            // The open run holds the records after the last full run: a manifest cannot claim them.
            int inOpenRun = index.stats().openVectors();
            assertTrue(inOpenRun > 0, "some records wait in the open run");
            // A copy of the directory at rest stands for a crash now (a real SIGKILL mid-merge is SegmentCrashTest).
            Path crashed = copyOf(where, dir.resolve("crashed"));
            try (SegmentedIndex afterCrash = open(crashed, "m", ann(AnnSettings.Compression.INT8_FLOAT32), segments())) {
                long covered = afterCrash.coveredOffset().orElseThrow();
                assertTrue(covered < 2_000 - 1, "covered " + covered + " must stop before the open run");
                // What Kafka Streams then does: replay the changelog after the covered offset, to its end.
                afterCrash.apply(changes.subList((int) covered + 1, changes.size()));
                assertMatchesModel(afterCrash, model(changes));
            }
        } finally {
            index.close();
        }
    }

    @Test
    void aDamagedManifestRunOrGraphMeansARebuild() throws Exception {
        Path where = dir.resolve("index");
        build(where);
        assertRebuiltAfter(where, file -> file.getFileName().toString().equals(SegmentDirectory.MANIFEST), "checksum");
        build(where);
        assertRebuiltAfter(where, file -> file.getFileName().toString().endsWith(".vec"), "checksum");
        build(where);
        assertRebuiltAfter(where, file -> file.getFileName().toString().endsWith(".jvg"), "checksum");
    }

    @Test
    void aMissingFileMeansARebuild() throws Exception {
        Path where = dir.resolve("index");
        build(where);
        try (Stream<Path> files = Files.list(where)) {
            Files.delete(files.filter(file -> file.toString().endsWith(".vec")).findFirst().orElseThrow());
        }
        try (SegmentedIndex reopened = open(where, "m", ann(AnnSettings.Compression.INT8_FLOAT32), segments())) {
            assertTrue(reopened.coveredOffset().isEmpty(), reopened.openedHow());
            assertTrue(reopened.openedHow().contains("cannot be read"), reopened.openedHow());
            assertEquals(0, reopened.size(), "starts empty, for the store to rebuild from RocksDB");
            try (Stream<Path> files = Files.list(where)) {
                assertEquals(0, files.count(), "what could not be trusted is gone");
            }
        }
    }

    @Test
    void anotherModelOrOtherSettingsMeanARebuild() throws Exception {
        Path where = dir.resolve("index");
        build(where);
        try (SegmentedIndex otherModel = open(where, "another-model", ann(AnnSettings.Compression.INT8_FLOAT32), segments())) {
            assertTrue(otherModel.coveredOffset().isEmpty());
            assertTrue(otherModel.openedHow().contains("another-model"), otherModel.openedHow());
        }
        build(where);
        try (SegmentedIndex otherCompression = open(where, "m", ann(AnnSettings.Compression.NONE), segments())) {
            assertTrue(otherCompression.coveredOffset().isEmpty(), otherCompression.openedHow());
        }
    }

    @Test
    void aManifestOlderThanTheMaximumAgeMeansARebuild() throws Exception {
        Path where = dir.resolve("index");
        build(where);
        SegmentSettings strict = new SegmentSettings(256, 3, Duration.ofMillis(50), 2, Duration.ZERO, Duration.ZERO);
        // Any manifest is older than zero by the time it is read.
        try (SegmentedIndex reopened = open(where, "m", ann(AnnSettings.Compression.INT8_FLOAT32), strict)) {
            assertTrue(reopened.coveredOffset().isEmpty());
            assertTrue(reopened.openedHow().contains("index.persist.max.age.ms"), reopened.openedHow());
        }
    }

    @Test
    void filesNoManifestNamesAreDeletedWhenTheDirectoryOpens() throws Exception {
        Path where = dir.resolve("index");
        build(where);
        Path stray = where.resolve("graph-99-deadbeef.jvg");
        Files.writeString(stray, "left by a merge that never finished");
        try (SegmentedIndex reopened = open(where, "m", ann(AnnSettings.Compression.INT8_FLOAT32), segments())) {
            assertTrue(reopened.coveredOffset().isPresent(), reopened.openedHow());
            assertFalse(Files.exists(stray));
        }
    }

    private void build(Path where) throws Exception {
        deleteRecursively(where);
        try (SegmentedIndex index = open(where, "m", ann(AnnSettings.Compression.INT8_FLOAT32), segments())) {
            index.apply(changes(4, 2_000, 1_000));
            assertTrue(index.awaitQuiet(Duration.ofMinutes(5)));
        }
    }

    private void assertRebuiltAfter(Path where, Predicate<Path> which, String reason) throws Exception {
        try (Stream<Path> files = Files.list(where)) {
            Path victim = files.filter(which).findFirst().orElseThrow();
            flipAByteIn(victim);
        }
        try (SegmentedIndex reopened = open(where, "m", ann(AnnSettings.Compression.INT8_FLOAT32), segments())) {
            assertTrue(reopened.coveredOffset().isEmpty(), reopened.openedHow());
            assertTrue(reopened.openedHow().contains(reason), reopened.openedHow());
            assertEquals(0, reopened.size());
        }
    }

    private static void flipAByteIn(Path file) throws IOException {
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            long at = raw.length() / 2;
            raw.seek(at);
            int value = raw.read();
            raw.seek(at);
            raw.write(value ^ 0x5A);
        }
    }

    /** Every live item with its current vector, and exact answers equal to the model's. */
    static void assertMatchesModel(SegmentedIndex index, ExactVectorIndex model) {
        assertEquals(model.size(), index.size(), "live items");
        Random random = new Random(99);
        for (int q = 0; q < 20; q++) {
            float[] query = TestVectors.randomUnitVector(random, DIMENSION);
            FieldFilter filter = q % 2 == 0 ? FieldFilter.NONE : FieldFilter.of(Map.of("tenant", "a"));
            assertEquals(model.search(query, K, filter, Float.NEGATIVE_INFINITY).hits(),
                    SegmentedIndexTest.idsAndScores(index.search(query, K, filter, Float.NEGATIVE_INFINITY,
                            SearchOptions.exact())));
        }
        // All of them, in one exact search: the same ids, and every score from the current vector.
        float[] query = TestVectors.randomUnitVector(random, DIMENSION);
        int all = Math.max(1, model.size());
        assertEquals(model.search(query, all, FieldFilter.NONE, Float.NEGATIVE_INFINITY).hits(),
                SegmentedIndexTest.idsAndScores(index.search(query, all, FieldFilter.NONE, Float.NEGATIVE_INFINITY,
                        SearchOptions.exact())));
    }

    private static List<float[]> queries(int count) {
        Random random = new Random(77);
        List<float[]> queries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            queries.add(TestVectors.randomUnitVector(random, DIMENSION));
        }
        return queries;
    }

    private static Path copyOf(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
        return to;
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
