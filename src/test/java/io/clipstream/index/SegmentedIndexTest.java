package io.clipstream.index;

import io.clipstream.schema.Modality;
import io.clipstream.testing.TestVectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The segment engine against exact search: recall and exact scores for every compression once graphs are built and
 * merged, interleaved puts, updates and deletes across seals, merges and compactions (never a deleted or stale
 * vector, the exact path equal to brute force), filters, and the planner's exact scans.
 */
class SegmentedIndexTest {

    static final int DIMENSION = 48;
    static final int K = 10;
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

    /** The graph everywhere: no exact scan for small segments or selective filters. */
    static AnnSettings graphOnly(AnnSettings.Compression compression) {
        AnnSettings d = AnnSettings.DEFAULTS;
        return new AnnSettings(d.degree(), d.beamWidth(), d.overquery(), 64, 0, compression, 0.0);
    }

    /** Small runs and a low merge factor, so a few thousand vectors go through many seals and merges. */
    static SegmentSettings busySegments() {
        return new SegmentSettings(256, 3, Duration.ZERO, 2, Duration.ZERO, SegmentSettings.DEFAULT_MAX_STATE_AGE);
    }

    static IndexedVector vector(String id, float[] components, Map<String, String> fields) {
        return new IndexedVector(id, Modality.IMAGE, components, fields, Map.of("source", "test-" + id), null);
    }

    /** The float32 vectors by id, counting reads: what the store's RocksDB is to a codes-only index. */
    static final class MapSource implements FullPrecisionSource {
        final Map<String, float[]> vectors = new ConcurrentHashMap<>();
        final AtomicInteger reads = new AtomicInteger();

        @Override
        public float[] vector(String id) {
            reads.incrementAndGet();
            return vectors.get(id);
        }
    }

    SegmentedIndex open(AnnSettings ann, SegmentSettings segments, FullPrecisionSource source) {
        return SegmentedIndex.open("test", dir.resolve("index-" + System.nanoTime()), DIMENSION, "model", ann, segments,
                source, maintenance);
    }

    @ParameterizedTest
    @EnumSource(value = AnnSettings.Compression.class, names = {"NONE", "FP16", "INT8", "INT8_FLOAT32"})
    void recallAndScoresAgainstTheExactScanOnceGraphsAreBuiltAndMerged(AnnSettings.Compression compression)
            throws Exception {
        Random random = new Random(17);
        MapSource source = new MapSource();
        ExactVectorIndex exact = new ExactVectorIndex(DIMENSION, 16);
        try (SegmentedIndex index = open(graphOnly(compression), busySegments(), source)) {
            // In four steps, each graphed before the next, so the segments are built apart and then have to merge.
            for (int step = 0; step < 4; step++) {
                List<IndexChange> batch = new ArrayList<>();
                for (int i = step * 1_000; i < (step + 1) * 1_000; i++) {
                    float[] components = TestVectors.randomUnitVector(random, DIMENSION);
                    source.vectors.put("item-" + i, components);
                    exact.upsert("item-" + i, components, Map.of());
                    batch.add(IndexChange.upsert(vector("item-" + i, components, Map.of()), i, i));
                }
                index.apply(batch);
                assertTrue(index.awaitGraphs(Duration.ofMinutes(5)), index.stats().toString());
            }
            assertTrue(index.awaitQuiet(Duration.ofMinutes(5)), "graphs built and merged: " + index.stats());
            IndexStats stats = index.stats();
            assertEquals(0, stats.withoutGraph(), stats.toString());
            assertTrue(stats.merges() > 0, stats.toString());

            int readsBefore = source.reads.get();
            double recallSum = 0;
            int queries = 100;
            for (int q = 0; q < queries; q++) {
                float[] query = TestVectors.randomUnitVector(random, DIMENSION);
                List<IndexHit> truth = exact.search(query, K, FieldFilter.NONE, Float.NEGATIVE_INFINITY).hits();
                List<ItemHit> hits = index.search(query, K, FieldFilter.NONE, Float.NEGATIVE_INFINITY,
                        SearchOptions.auto()).hits();
                Set<String> expected = new HashSet<>();
                truth.forEach(hit -> expected.add(hit.id()));
                recallSum += hits.stream().filter(hit -> expected.contains(hit.id())).count() / (double) K;
                for (ItemHit hit : hits) {
                    assertEquals(VectorMath.dot(query, source.vectors.get(hit.id())), hit.score(),
                            "the score is the float32 one, bit for bit");
                    assertEquals("test-" + hit.id(), hit.payload().metadata().get("source"), "the hit's payload");
                }
            }
            double recall = recallSum / queries;
            assertTrue(recall >= 0.9, compression + " recall@10 " + recall);
            if (!compression.readsFullPrecisionFromStore()) {
                assertEquals(readsBefore, source.reads.get(), "the float32 copy is in memory: nothing read from the source");
            }
            // The exact path reads full precision for every item: the same answer as the exact index.
            float[] query = TestVectors.randomUnitVector(random, DIMENSION);
            assertEquals(exact.search(query, K, FieldFilter.NONE, Float.NEGATIVE_INFINITY).hits(),
                    idsAndScores(index.search(query, K, FieldFilter.NONE, Float.NEGATIVE_INFINITY, SearchOptions.exact())));
        }
    }

    /**
     * Binary codes (1 bit per component) steer the walk; the float32 re-rank makes the returned scores exact. Its
     * recall needs a wide beam and high dimensions (see docs/BENCHMARKS.md), so this checks scores and self-hits only.
     */
    @Test
    void binaryCompressionReturnsExactScoresAfterReRanking() throws Exception {
        Random random = new Random(3);
        int dimension = 256;
        AnnSettings binary = new AnnSettings(32, 100, 2.0f, 400, 0, AnnSettings.Compression.BINARY, 0.0);
        Map<String, float[]> vectors = new HashMap<>();
        try (SegmentedIndex index = SegmentedIndex.open("binary", dir.resolve("binary"), dimension, "model", binary,
                busySegments(), FullPrecisionSource.NONE, maintenance)) {
            List<IndexChange> batch = new ArrayList<>();
            for (int i = 0; i < 3_000; i++) {
                float[] components = TestVectors.randomUnitVector(random, dimension);
                vectors.put("item-" + i, components);
                batch.add(IndexChange.upsert(vector("item-" + i, components, Map.of()), i, 0));
            }
            index.apply(batch);
            assertTrue(index.awaitQuiet(Duration.ofMinutes(5)));
            assertEquals(dimension * 4 + dimension / 8 + 32 * 4, index.bytesPerVector());
            for (int i = 0; i < 50; i++) {
                float[] own = vectors.get("item-" + i);
                List<ItemHit> hits = index.search(own, K, FieldFilter.NONE, Float.NEGATIVE_INFINITY, SearchOptions.auto()).hits();
                assertEquals("item-" + i, hits.get(0).id(), "an item's own vector finds it first");
                for (ItemHit hit : hits) {
                    assertEquals(TestVectors.exactDot(own, vectors.get(hit.id())), hit.score(), 1e-5);
                }
            }
        }
    }

    @Test
    void aCodesOnlyIndexWithoutAFullPrecisionSourceIsRefused() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> open(graphOnly(AnnSettings.Compression.INT8), busySegments(), FullPrecisionSource.NONE));
        assertTrue(refused.getMessage().contains("full-precision source"), refused.getMessage());
    }

    /**
     * Puts, updates and deletes interleaved with searches while runs seal, graphs build and segments merge and compact
     * in the background: every answer is checked against the brute force of the same moment.
     */
    @ParameterizedTest
    @EnumSource(value = AnnSettings.Compression.class, names = {"INT8_FLOAT32", "NONE", "INT8"})
    void churnAcrossSealsMergesAndCompactionsNeverReturnsADeletedOrStaleVector(AnnSettings.Compression compression)
            throws Exception {
        Random random = new Random(23);
        MapSource source = new MapSource();
        ExactVectorIndex model = new ExactVectorIndex(DIMENSION, 16);
        Map<String, float[]> current = new HashMap<>();
        Set<String> everDeleted = new HashSet<>();
        int offset = 0;
        try (SegmentedIndex index = open(graphOnly(compression), busySegments(), source)) {
            for (int round = 0; round < 30; round++) {
                List<IndexChange> batch = new ArrayList<>();
                for (int i = 0; i < 150; i++) {
                    int pick = random.nextInt(10);
                    String id = "item-" + random.nextInt(1_500);
                    if (pick < 2 && current.containsKey(id)) {
                        current.remove(id);
                        source.vectors.remove(id);
                        model.remove(id);
                        everDeleted.add(id);
                        batch.add(IndexChange.removal(id, offset++, 0));
                    } else {
                        float[] components = TestVectors.randomUnitVector(random, DIMENSION);
                        Map<String, String> fields = Map.of("tenant", random.nextBoolean() ? "a" : "b");
                        current.put(id, components);
                        source.vectors.put(id, components);
                        model.upsert(id, components, fields);
                        batch.add(IndexChange.upsert(vector(id, components, fields), offset++, 0));
                    }
                }
                index.apply(batch);
                assertEquals(current.size(), index.size());
                for (int q = 0; q < 5; q++) {
                    float[] query = TestVectors.randomUnitVector(random, DIMENSION);
                    FieldFilter filter = q % 2 == 0 ? FieldFilter.NONE : FieldFilter.of(Map.of("tenant", "a"));
                    assertEquals(model.search(query, K, filter, Float.NEGATIVE_INFINITY).hits(),
                            idsAndScores(index.search(query, K, filter, Float.NEGATIVE_INFINITY, SearchOptions.exact())),
                            "the exact path equals brute force in round " + round);
                    for (ItemHit hit : index.search(query, K, filter, Float.NEGATIVE_INFINITY, SearchOptions.auto()).hits()) {
                        float[] live = current.get(hit.id());
                        assertTrue(live != null, "deleted " + hit.id() + " returned in round " + round);
                        assertEquals(VectorMath.dot(query, live), hit.score(), "score of " + hit.id() + " from its current vector");
                    }
                }
            }
            assertTrue(index.awaitQuiet(Duration.ofMinutes(5)), index.stats().toString());
            IndexStats stats = index.stats();
            assertEquals(current.size(), stats.vectors());
            assertTrue(stats.merges() > 0, "segments merged: " + stats);
            double recall = recall(index, model, random, 50, FieldFilter.NONE);
            assertTrue(recall >= 0.9, compression + " recall after churn " + recall);
            for (String gone : everDeleted) {
                if (!current.containsKey(gone)) {
                    float[] query = TestVectors.randomUnitVector(random, DIMENSION);
                    assertTrue(index.search(query, 1_000, FieldFilter.NONE, Float.NEGATIVE_INFINITY, SearchOptions.exact())
                            .hits().stream().noneMatch(hit -> hit.id().equals(gone)), gone + " is deleted");
                    break;
                }
            }
        }
    }

    @Test
    void heavilyDeletedSegmentsAreRewrittenWithoutTheirDeadSlots() throws Exception {
        Random random = new Random(41);
        ExactVectorIndex model = new ExactVectorIndex(DIMENSION, 16);
        try (SegmentedIndex index = open(graphOnly(AnnSettings.Compression.INT8_FLOAT32), busySegments(), FullPrecisionSource.NONE)) {
            List<IndexChange> batch = new ArrayList<>();
            for (int i = 0; i < 3_000; i++) {
                float[] components = TestVectors.randomUnitVector(random, DIMENSION);
                model.upsert("item-" + i, components, Map.of());
                batch.add(IndexChange.upsert(vector("item-" + i, components, Map.of()), i, 0));
            }
            index.apply(batch);
            assertTrue(index.awaitQuiet(Duration.ofMinutes(5)));
            long mergesBefore = index.stats().merges();
            batch.clear();
            for (int i = 0; i < 3_000; i += 2) {
                model.remove("item-" + i);
                batch.add(IndexChange.removal("item-" + i, 3_000 + i, 0));
            }
            index.apply(batch);
            assertTrue(index.awaitQuiet(Duration.ofMinutes(5)));
            assertTrue(index.stats().merges() > mergesBefore, "half dead: compacted");
            assertEquals(1_500, index.size());
            double recall = recall(index, model, random, 50, FieldFilter.NONE);
            assertTrue(recall >= 0.9, "recall after compaction " + recall);
        }
    }

    @Test
    void aFilterKeepingOnePercentStillReturnsKMatchingHitsFromTheGraphWalk() throws Exception {
        Random random = new Random(11);
        ExactVectorIndex model = new ExactVectorIndex(DIMENSION, 16);
        try (SegmentedIndex index = open(graphOnly(AnnSettings.Compression.NONE), busySegments(), FullPrecisionSource.NONE)) {
            List<IndexChange> batch = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                Map<String, String> fields = Map.of("tenant", i % 100 == 0 ? "rare" : "common");
                float[] components = TestVectors.randomUnitVector(random, DIMENSION);
                model.upsert("item-" + i, components, fields);
                batch.add(IndexChange.upsert(vector("item-" + i, components, fields), i, 0));
            }
            index.apply(batch);
            assertTrue(index.awaitQuiet(Duration.ofMinutes(5)));
            FieldFilter rare = FieldFilter.of(Map.of("tenant", "rare"));
            for (int q = 0; q < 20; q++) {
                List<ItemHit> hits = index.search(TestVectors.randomUnitVector(random, DIMENSION), K, rare,
                        Float.NEGATIVE_INFINITY, SearchOptions.auto()).hits();
                assertEquals(K, hits.size(), "hits for a 1% filter");
                for (ItemHit hit : hits) {
                    assertEquals(0, Integer.parseInt(hit.id().substring("item-".length())) % 100, hit.id());
                }
            }
            assertTrue(recall(index, model, random, 50, rare) >= 0.9, "recall of the filtered walk");
        }
    }

    @Test
    void smallSegmentsAndSelectiveFiltersAreAnsweredByExactScan() throws Exception {
        Random random = new Random(5);
        AnnSettings ann = new AnnSettings(16, 64, 2.0f, 64, 1_000, AnnSettings.Compression.NONE, 0.05);
        try (SegmentedIndex index = open(ann, busySegments(), FullPrecisionSource.NONE)) {
            List<IndexChange> batch = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                batch.add(IndexChange.upsert(vector("item-" + i, TestVectors.randomUnitVector(random, DIMENSION),
                        Map.of("n", Integer.toString(i % 50))), i, 0));
            }
            index.apply(batch);
            assertTrue(index.awaitQuiet(Duration.ofMinutes(5)));
            float[] query = TestVectors.randomUnitVector(random, DIMENSION);
            PartitionHits auto = index.search(query, K, FieldFilter.NONE, Float.NEGATIVE_INFINITY, SearchOptions.auto());
            assertEquals(500, auto.scanned(), "segments below min size are scanned: every vector compared");
            assertEquals(index.search(query, K, FieldFilter.NONE, Float.NEGATIVE_INFINITY, SearchOptions.exact()), auto);
        }
    }

    @Test
    void aVectorIsSearchableTheMomentItIsAppliedWithoutAnyGraph() {
        try (SegmentedIndex index = open(graphOnly(AnnSettings.Compression.INT8_FLOAT32), SegmentSettings.DEFAULTS,
                FullPrecisionSource.NONE)) {
            float[] components = TestVectors.randomUnitVector(new Random(3), DIMENSION);
            index.apply(IndexChange.upsert(vector("fresh", components, Map.of()), 0, 0));
            List<ItemHit> hits = index.search(components, 1, FieldFilter.NONE, Float.NEGATIVE_INFINITY,
                    SearchOptions.auto()).hits();
            assertEquals("fresh", hits.get(0).id());
            index.apply(IndexChange.removal("fresh", 1, 0));
            assertTrue(index.search(components, 1, FieldFilter.NONE, Float.NEGATIVE_INFINITY, SearchOptions.auto())
                    .hits().isEmpty());
        }
    }

    /**
     * Sealed segments still waiting for their graph are ranked by their int8 codes and the best {@code k * overquery}
     * re-ranked in float32 (a burst leaves most of a partition there, and every search scans it); the open run and an
     * exact search stay at full precision. Shown with vectors whose codes rank them the other way round from their
     * float32: the true best, {@code best}, has its small query component rounded away (its scale is set by 0.99),
     * while three decoys with a smaller scale round theirs up.
     */
    @Test
    void segmentsAwaitingTheirGraphAreRankedByCodesAndReRankedWhileTheOpenRunStaysExact() {
        float[] query = axis(1, 1f);
        float[] best = axis(0, 0.99f);
        best[1] = 0.0035f; // code round(0.0035 / (0.99 / 127)) = 0: scores 0 by its code, 0.0035 in float32
        List<IndexChange> changes = new ArrayList<>();
        changes.add(IndexChange.upsert(vector("best", best, Map.of()), 0, 0));
        for (int d = 0; d < 3; d++) {
            float[] decoy = axis(2, 0.5f);
            decoy[1] = 0.0021f; // code round(0.0021 / (0.5 / 127)) = 1: scores 0.0039 by its code, 0.0021 in float32
            decoy[3 + d] = 0.1f;
            changes.add(IndexChange.upsert(vector("decoy-" + d, decoy, Map.of()), d + 1, 0));
        }
        Random random = new Random(29);
        for (int i = 0; i < 700; i++) {
            float[] filler = TestVectors.randomUnitVector(random, DIMENSION);
            filler[1] = -Math.abs(filler[1]) - 0.05f; // below every other score, by code or float32
            changes.add(IndexChange.upsert(vector("filler-" + i, filler, Map.of()), i + 4, 0));
        }
        AnnSettings ann = graphOnly(AnnSettings.Compression.INT8_FLOAT32);
        assertEquals(2.0f, ann.overquery(), "k 1 re-ranks the best 2 by code");
        try (SegmentMaintenance idle = new SegmentMaintenance(1)) {
            idle.close(); // nothing is ever built or sealed when idle: the sealed runs keep waiting for their graphs
            try (SegmentedIndex sealed = SegmentedIndex.open("test", dir.resolve("sealed"), DIMENSION, "model", ann,
                    busySegments(), FullPrecisionSource.NONE, idle);
                 SegmentedIndex open = SegmentedIndex.open("test", dir.resolve("open"), DIMENSION, "model", ann,
                         SegmentSettings.DEFAULTS, FullPrecisionSource.NONE, idle)) {
                sealed.apply(changes);
                open.apply(changes);
                IndexStats stats = sealed.stats();
                assertEquals(704, stats.withoutGraph(), stats.toString());
                assertTrue(stats.segments() >= 2, "best and the decoys are in a sealed run: " + stats);

                ItemHit byCodes = sealed.search(query, 1, FieldFilter.NONE, Float.NEGATIVE_INFINITY, SearchOptions.auto())
                        .hits().get(0);
                assertTrue(byCodes.id().startsWith("decoy-"), "ranked by codes, best is not among the 2 re-ranked: "
                        + byCodes.id());
                assertEquals(0.0021f, byCodes.score(), 1e-6f, "the returned score is the float32 one");
                assertEquals("best", sealed.search(query, 1, FieldFilter.NONE, Float.NEGATIVE_INFINITY,
                        SearchOptions.exact()).hits().get(0).id(), "an exact search reads float32 everywhere");
                assertEquals("best", open.search(query, 1, FieldFilter.NONE, Float.NEGATIVE_INFINITY,
                        SearchOptions.auto()).hits().get(0).id(), "the open run is scanned in float32");
            }
        }
    }

    private static float[] axis(int dimension, float value) {
        float[] vector = new float[DIMENSION];
        vector[dimension] = value;
        return vector;
    }

    static List<IndexHit> idsAndScores(PartitionHits hits) {
        return hits.hits().stream().map(hit -> new IndexHit(hit.id(), hit.score())).toList();
    }

    /** Mean recall@K of the index's automatic search against the model's exact one. */
    static double recall(SegmentedIndex index, ExactVectorIndex model, Random random, int queries, FieldFilter filter) {
        double sum = 0;
        for (int q = 0; q < queries; q++) {
            float[] query = TestVectors.randomUnitVector(random, DIMENSION);
            Set<String> truth = new HashSet<>();
            model.search(query, K, filter, Float.NEGATIVE_INFINITY).hits().forEach(hit -> truth.add(hit.id()));
            long found = index.search(query, K, filter, Float.NEGATIVE_INFINITY, SearchOptions.auto()).hits().stream()
                    .filter(hit -> truth.contains(hit.id())).count();
            sum += (double) found / truth.size();
        }
        return sum / queries;
    }
}
