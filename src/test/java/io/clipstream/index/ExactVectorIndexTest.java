package io.clipstream.index;

import io.clipstream.testing.TestVectors;
import io.clipstream.testing.TestVectors.Item;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExactVectorIndexTest {

    private static final int DIMENSION = 24;
    private static final FieldFilter[] FILTERS = {
        FieldFilter.NONE,
        FieldFilter.of(Map.of("tenant", "acme")),
        FieldFilter.of(Map.of("tenant", "globex", "category", "dogs")),
        FieldFilter.of(Map.of("source", "nowhere")),
    };
    private static final float[] MIN_SCORES = {Float.NEGATIVE_INFINITY, 0f, 0.25f, 0.99f};
    private static final int[] KS = {1, 3, 10, 57, 1000};

    @Test
    void topKMatchesBruteForceOnRandomData() {
        Random random = new Random(7);
        ExactVectorIndex index = new ExactVectorIndex(DIMENSION, 16);
        Map<String, Item> reference = new LinkedHashMap<>();
        for (int i = 0; i < 500; i++) {
            upsert(index, reference, TestVectors.randomRecord(random, "item-" + i, DIMENSION));
        }
        assertMatchesBruteForce(index, reference, random);
    }

    @Test
    void topKMatchesBruteForceAfterDeletesAndUpdates() {
        Random random = new Random(11);
        ExactVectorIndex index = new ExactVectorIndex(DIMENSION, 8);
        Map<String, Item> reference = new LinkedHashMap<>();
        for (int step = 0; step < 3_000; step++) {
            String id = "item-" + random.nextInt(400);
            if (random.nextInt(4) == 0) {
                assertEquals(reference.remove(id) != null, index.remove(id), "remove reports presence of " + id);
            } else {
                upsert(index, reference, TestVectors.randomRecord(random, id, DIMENSION));
            }
            if (step % 500 == 0) {
                assertMatchesBruteForce(index, reference, random);
            }
        }
        assertEquals(reference.size(), index.size());
        assertMatchesBruteForce(index, reference, random);
    }

    @Test
    void updateReplacesVectorAndFieldsOfTheSameId() {
        ExactVectorIndex index = new ExactVectorIndex(3, 4);
        index.upsert("a", new float[] {1, 0, 0}, Map.of("tenant", "acme"));
        index.upsert("b", new float[] {0, 1, 0}, Map.of("tenant", "acme"));
        index.upsert("a", new float[] {0, 0, 1}, Map.of("tenant", "globex"));

        assertEquals(2, index.size());
        assertEquals(List.of(new IndexHit("a", 1f)),
                index.search(new float[] {0, 0, 1}, 1, FieldFilter.NONE, Float.NEGATIVE_INFINITY).hits());
        assertEquals(List.of(new IndexHit("b", 0f)),
                index.search(new float[] {0, 0, 1}, 5, FieldFilter.of(Map.of("tenant", "acme")), -1f).hits());
    }

    @Test
    void equalScoresComeBackInIdOrder() {
        ExactVectorIndex index = new ExactVectorIndex(2, 2);
        for (String id : List.of("d", "b", "e", "a", "c")) {
            index.upsert(id, new float[] {0.6f, 0.8f}, Map.of());
        }
        index.upsert("z", new float[] {1f, 0f}, Map.of());

        List<IndexHit> hits = index.search(new float[] {0.6f, 0.8f}, 4, FieldFilter.NONE, -1f).hits();

        assertEquals(List.of("a", "b", "c", "d"), hits.stream().map(IndexHit::id).toList());
    }

    @Test
    void scanReportsEveryVectorAndFloatScoresMatchDoublePrecision() {
        Random random = new Random(3);
        ExactVectorIndex index = new ExactVectorIndex(DIMENSION, 4);
        Map<String, Item> reference = new LinkedHashMap<>();
        for (int i = 0; i < 100; i++) {
            upsert(index, reference, TestVectors.randomRecord(random, "item-" + i, DIMENSION));
        }
        float[] query = TestVectors.randomUnitVector(random, DIMENSION);

        IndexSearchResult result = index.search(query, 10, FieldFilter.of(Map.of("tenant", "acme")), -1f);

        assertEquals(100, result.scanned());
        for (IndexHit hit : result.hits()) {
            assertEquals(TestVectors.exactDot(query, reference.get(hit.id()).vector()), hit.score(), 1e-5);
        }
    }

    @Test
    void capacityGrowsWhenFullAndShrinksWhenMostlyEmpty() {
        Random random = new Random(5);
        ExactVectorIndex index = new ExactVectorIndex(DIMENSION, 4);
        Map<String, Item> reference = new LinkedHashMap<>();
        for (int i = 0; i < 100; i++) {
            upsert(index, reference, TestVectors.randomRecord(random, "item-" + i, DIMENSION));
        }
        assertEquals(128, index.capacity());
        assertEquals(128L * DIMENSION * Float.BYTES, index.allocatedVectorBytes());
        assertEquals(DIMENSION * Float.BYTES, index.bytesPerVector());

        for (int i = 0; i < 95; i++) {
            assertTrue(index.remove("item-" + i));
            reference.remove("item-" + i);
        }

        assertEquals(5, index.size());
        assertTrue(index.capacity() < 32, "capacity " + index.capacity() + " after emptying");
        assertTrue(index.capacity() >= 5);
        assertMatchesBruteForce(index, reference, random);
    }

    @Test
    void removingAnUnknownIdChangesNothing() {
        ExactVectorIndex index = new ExactVectorIndex(2, 2);
        index.upsert("a", new float[] {1f, 0f}, Map.of());

        assertFalse(index.remove("b"));
        assertEquals(1, index.size());
    }

    @Test
    void vectorsAndQueriesOfAnotherDimensionAreRefused() {
        ExactVectorIndex index = new ExactVectorIndex(3, 2);

        IllegalArgumentException upsert = assertThrows(IllegalArgumentException.class,
                () -> index.upsert("a", new float[] {1f, 0f}, Map.of()));
        IllegalArgumentException search = assertThrows(IllegalArgumentException.class,
                () -> index.search(new float[] {1f, 0f}, 1, FieldFilter.NONE, -1f));

        assertTrue(upsert.getMessage().contains("dimension 3"), upsert.getMessage());
        assertTrue(search.getMessage().contains("query vector has 2 components"), search.getMessage());
        assertThrows(IllegalArgumentException.class, () -> index.search(new float[3], 0, FieldFilter.NONE, -1f));
    }

    @Test
    void emptyIndexFindsNothing() {
        ExactVectorIndex index = new ExactVectorIndex(2, 2);

        IndexSearchResult result = index.search(new float[] {1f, 0f}, 10, FieldFilter.NONE, -1f);

        assertTrue(result.hits().isEmpty());
        assertEquals(0, result.scanned());
    }

    private static void upsert(ExactVectorIndex index, Map<String, Item> reference,
                               io.clipstream.schema.VectorRecord record) {
        Item item = Item.of(record);
        index.upsert(item.id(), item.vector(), item.fields());
        reference.put(item.id(), item);
    }

    private static void assertMatchesBruteForce(ExactVectorIndex index, Map<String, Item> reference, Random random) {
        List<Item> items = new ArrayList<>(reference.values());
        for (int q = 0; q < 3; q++) {
            float[] query = TestVectors.randomUnitVector(random, DIMENSION);
            for (int k : KS) {
                for (FieldFilter filter : FILTERS) {
                    for (float minScore : MIN_SCORES) {
                        List<IndexHit> expected = TestVectors.bruteForce(items, query, k, filter, minScore);
                        List<IndexHit> actual = index.search(query, k, filter, minScore).hits();
                        assertEquals(expected, actual, "k=" + k + " filter=" + filter + " minScore=" + minScore);
                    }
                }
            }
        }
    }
}
