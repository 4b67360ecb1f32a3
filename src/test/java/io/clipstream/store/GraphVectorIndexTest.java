package io.clipstream.store;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JVector graph index against the exact scan: recall, updates and deletes, filters during the walk. */
class GraphVectorIndexTest {

    private static final int DIMENSION = 48;
    private static final int K = 10;

    /** The graph everywhere: no exact scan for small sizes or selective filters. */
    private static AnnSettings graphOnly(AnnSettings.Compression compression) {
        AnnSettings defaults = AnnSettings.DEFAULTS;
        return new AnnSettings(defaults.degree(), defaults.beamWidth(), defaults.overquery(), defaults.searchBeam(), 0,
                compression, 0.0);
    }

    @Test
    void recallAtTenAgainstTheExactScanIsAtLeastNinetyPercent() {
        Random random = new Random(42);
        GraphVectorIndex graph = new GraphVectorIndex(DIMENSION, 16, graphOnly(AnnSettings.Compression.NONE));
        for (int i = 0; i < 10_000; i++) {
            graph.upsert("item-" + i, TestVectors.randomUnitVector(random, DIMENSION), Map.of());
        }
        double recall = recallAtK(graph, random, 100, FieldFilter.NONE);
        assertTrue(recall >= 0.9, "recall@10 " + recall);
        graph.close();
    }

    /**
     * Binary codes (1 bit per component) steer the walk; the float32 re-rank makes the returned scores exact. Its
     * recall needs a wide beam and high dimensions (see docs/BENCHMARKS.md), so this checks scores and self-hits only.
     */
    @Test
    void binaryCompressionReturnsExactScoresAfterReRanking() {
        Random random = new Random(3);
        int dimension = 256;
        AnnSettings binary = new AnnSettings(32, 100, 2.0f, 400, 0, AnnSettings.Compression.BINARY, 0.0);
        GraphVectorIndex graph = new GraphVectorIndex(dimension, 16, binary);
        Map<String, float[]> vectors = new HashMap<>();
        for (int i = 0; i < 3_000; i++) {
            float[] vector = TestVectors.randomUnitVector(random, dimension);
            graph.upsert("item-" + i, vector, Map.of());
            vectors.put("item-" + i, vector);
        }
        assertEquals(dimension * 4 + dimension / 8 + 32 * 4, graph.bytesPerVector());
        for (int i = 0; i < 50; i++) {
            float[] own = vectors.get("item-" + i);
            List<IndexHit> hits = graph.search(own, K, FieldFilter.NONE, Float.NEGATIVE_INFINITY).hits();
            assertEquals("item-" + i, hits.get(0).id(), "an item's own vector finds it first");
            for (IndexHit hit : hits) {
                assertEquals(TestVectors.exactDot(own, vectors.get(hit.id())), hit.score(), 1e-5);
            }
        }
        graph.close();
    }

    @Test
    void deletedAndReplacedVectorsAreNeverReturnedAndFreedOrdinalsAreReused() {
        Random random = new Random(7);
        GraphVectorIndex graph = new GraphVectorIndex(DIMENSION, 16, graphOnly(AnnSettings.Compression.NONE));
        Map<String, float[]> current = new HashMap<>();
        for (int i = 0; i < 3_000; i++) {
            float[] vector = TestVectors.randomUnitVector(random, DIMENSION);
            graph.upsert("item-" + i, vector, Map.of());
            current.put("item-" + i, vector);
        }
        // Delete a third (enough to trigger cleanups), replace another 500 with new vectors.
        Map<String, float[]> deleted = new HashMap<>();
        for (int i = 0; i < 1_000; i++) {
            String id = "item-" + i;
            assertTrue(graph.remove(id));
            deleted.put(id, current.remove(id));
        }
        assertFalse(graph.remove("item-0"), "a second delete finds nothing");
        Map<String, float[]> stale = new HashMap<>();
        for (int i = 1_000; i < 1_500; i++) {
            String id = "item-" + i;
            stale.put(id, current.get(id));
            float[] replacement = TestVectors.randomUnitVector(random, DIMENSION);
            graph.upsert(id, replacement, Map.of());
            current.put(id, replacement);
        }
        // New items after the cleanups take freed ordinals.
        for (int i = 3_000; i < 4_000; i++) {
            float[] vector = TestVectors.randomUnitVector(random, DIMENSION);
            graph.upsert("item-" + i, vector, Map.of());
            current.put("item-" + i, vector);
        }
        assertEquals(current.size(), graph.size());

        // A deleted item's own vector as the query: the item itself must not come back.
        for (Map.Entry<String, float[]> gone : deleted.entrySet()) {
            for (IndexHit hit : graph.search(gone.getValue(), K, FieldFilter.NONE, Float.NEGATIVE_INFINITY).hits()) {
                assertTrue(current.containsKey(hit.id()), "deleted " + hit.id() + " returned");
                assertEquals(TestVectors.exactDot(gone.getValue(), current.get(hit.id())), hit.score(), 1e-5);
            }
        }
        // A replaced item is found by its new vector, with the new score, and never scored by its old one.
        for (Map.Entry<String, float[]> old : stale.entrySet()) {
            List<IndexHit> byNew = graph.search(current.get(old.getKey()), 1, FieldFilter.NONE,
                    Float.NEGATIVE_INFINITY).hits();
            assertEquals(old.getKey(), byNew.get(0).id());
            assertEquals(1.0f, byNew.get(0).score(), 1e-4);
            for (IndexHit hit : graph.search(old.getValue(), K, FieldFilter.NONE, Float.NEGATIVE_INFINITY).hits()) {
                assertEquals(TestVectors.exactDot(old.getValue(), current.get(hit.id())), hit.score(), 1e-5,
                        "score of " + hit.id() + " must come from its current vector");
            }
        }
        assertTrue(graph.pendingDeletions() < GraphVectorIndex.MIN_CLEANUP + 1_000,
                "deleted nodes are cleaned up, not kept forever: " + graph.pendingDeletions());
        assertTrue(recallAtK(graph, random, 50, FieldFilter.NONE) >= 0.9, "recall after churn");
        graph.close();
    }

    @Test
    void aFilterKeepingOnePercentStillReturnsKMatchingHitsFromTheGraphWalk() {
        Random random = new Random(11);
        GraphVectorIndex graph = new GraphVectorIndex(DIMENSION, 16, graphOnly(AnnSettings.Compression.NONE));
        int n = 10_000;
        for (int i = 0; i < n; i++) {
            String tenant = i % 100 == 0 ? "rare" : "common";
            graph.upsert("item-" + i, TestVectors.randomUnitVector(random, DIMENSION), Map.of("tenant", tenant));
        }
        FieldFilter rare = FieldFilter.of(Map.of("tenant", "rare"));
        for (int q = 0; q < 20; q++) {
            float[] query = TestVectors.randomUnitVector(random, DIMENSION);
            List<IndexHit> hits = graph.search(query, K, rare, Float.NEGATIVE_INFINITY).hits();
            assertEquals(K, hits.size(), "hits for a 1% filter");
            for (IndexHit hit : hits) {
                int number = Integer.parseInt(hit.id().substring("item-".length()));
                assertEquals(0, number % 100, hit.id() + " does not match the filter");
            }
        }
        assertTrue(recallAtK(graph, random, 50, rare) >= 0.9, "recall of the filtered walk");
        graph.close();
    }

    @Test
    void smallPartitionsAndSelectiveFiltersAnswerByExactScan() {
        Random random = new Random(5);
        AnnSettings settings = new AnnSettings(16, 64, 2.0f, 64, 1_000, AnnSettings.Compression.NONE, 0.05);
        GraphVectorIndex graph = new GraphVectorIndex(DIMENSION, 16, settings);
        for (int i = 0; i < 500; i++) {
            graph.upsert("item-" + i, TestVectors.randomUnitVector(random, DIMENSION), Map.of("n", Integer.toString(i % 50)));
        }
        float[] query = TestVectors.randomUnitVector(random, DIMENSION);
        assertEquals(500, graph.search(query, K, FieldFilter.NONE, Float.NEGATIVE_INFINITY).scanned(),
                "below minSize every vector is scanned");
        assertEquals(graph.searchExact(query, K, FieldFilter.NONE, Float.NEGATIVE_INFINITY),
                graph.search(query, K, FieldFilter.NONE, Float.NEGATIVE_INFINITY));
        graph.close();
    }

    /** Mean recall@K of the graph against its own exact scan over random queries. */
    private static double recallAtK(GraphVectorIndex graph, Random random, int queries, FieldFilter filter) {
        double sum = 0;
        for (int q = 0; q < queries; q++) {
            float[] query = TestVectors.randomUnitVector(random, DIMENSION);
            Set<String> truth = new HashSet<>();
            graph.searchExact(query, K, filter, Float.NEGATIVE_INFINITY).hits().forEach(hit -> truth.add(hit.id()));
            long found = graph.search(query, K, filter, Float.NEGATIVE_INFINITY).hits().stream()
                    .filter(hit -> truth.contains(hit.id())).count();
            sum += (double) found / truth.size();
        }
        return sum / queries;
    }
}
