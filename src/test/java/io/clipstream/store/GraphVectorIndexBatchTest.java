package io.clipstream.store;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link GraphVectorIndex#applyAll}: batches (restores, rebuilds) linked on several threads, in the batch's order. */
class GraphVectorIndexBatchTest {

    private static final int DIMENSION = 48;
    private static final int K = 10;

    @Test
    void aBatchAppliedOnFourThreadsEndsAsTheSameChangesOneByOne() {
        Random random = new Random(31);
        AnnSettings settings = new AnnSettings(32, 100, 2.0f, 100, 0, AnnSettings.Compression.NONE, 0.0);
        GraphVectorIndex graph = new GraphVectorIndex(DIMENSION, 16, settings);
        Map<String, float[]> expected = new HashMap<>();
        List<VectorIndex.Change> changes = new ArrayList<>();
        for (int i = 0; i < 6_000; i++) {
            float[] vector = TestVectors.randomUnitVector(random, DIMENSION);
            changes.add(new VectorIndex.Change("item-" + i, vector, Map.of("even", Boolean.toString(i % 2 == 0))));
            expected.put("item-" + i, vector);
            if (i % 7 == 3) {
                // The same id again within the batch: the later vector wins.
                float[] replacement = TestVectors.randomUnitVector(random, DIMENSION);
                changes.add(new VectorIndex.Change("item-" + i, replacement, Map.of("even", Boolean.toString(i % 2 == 0))));
                expected.put("item-" + i, replacement);
            }
            if (i % 11 == 5) {
                changes.add(VectorIndex.Change.removal("item-" + (i - 1)));
                expected.remove("item-" + (i - 1));
            }
        }
        try (ForkJoinPool pool = new ForkJoinPool(4)) {
            for (int from = 0; from < changes.size(); from += 1_000) {
                graph.applyAll(changes.subList(from, Math.min(changes.size(), from + 1_000)), pool);
            }
        }
        assertEquals(expected.size(), graph.size());

        double recallSum = 0;
        int queries = 100;
        for (int q = 0; q < queries; q++) {
            float[] query = TestVectors.randomUnitVector(random, DIMENSION);
            Set<String> truth = new HashSet<>();
            expected.entrySet().stream()
                    .sorted((a, b) -> Float.compare(VectorMath.dot(query, b.getValue()), VectorMath.dot(query, a.getValue())))
                    .limit(K).forEach(entry -> truth.add(entry.getKey()));
            List<IndexHit> hits = graph.search(query, K, FieldFilter.NONE, Float.NEGATIVE_INFINITY).hits();
            for (IndexHit hit : hits) {
                assertTrue(expected.containsKey(hit.id()), "removed " + hit.id() + " returned");
                assertEquals(VectorMath.dot(query, expected.get(hit.id())), hit.score(), "scored by the latest vector");
            }
            recallSum += hits.stream().filter(hit -> truth.contains(hit.id())).count() / (double) K;
        }
        assertTrue(recallSum / queries >= 0.9, "recall@10 of the graph linked in parallel " + recallSum / queries);
        // Every item is reachable through the graph: its own vector finds it first.
        for (Map.Entry<String, float[]> item : expected.entrySet().stream().limit(500).toList()) {
            assertEquals(item.getKey(), graph.search(item.getValue(), 1, FieldFilter.NONE, Float.NEGATIVE_INFINITY)
                    .hits().get(0).id());
        }
        graph.close();
    }

    @Test
    void theExactIndexAppliesABatchAsSingleChanges() {
        ExactVectorIndex exact = new ExactVectorIndex(4, 4);
        float[] a = {1, 0, 0, 0};
        float[] b = {0, 1, 0, 0};
        exact.applyAll(List.of(new VectorIndex.Change("a", a, Map.of()), new VectorIndex.Change("b", b, Map.of()),
                VectorIndex.Change.removal("a"), new VectorIndex.Change("b", a, Map.of())));
        assertEquals(1, exact.size());
        assertEquals(List.of(new IndexHit("b", 1.0f)), exact.search(a, 2, FieldFilter.NONE, Float.NEGATIVE_INFINITY).hits());
    }
}
