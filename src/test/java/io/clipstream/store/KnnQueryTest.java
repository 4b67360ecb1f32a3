package io.clipstream.store;

import io.clipstream.schema.Modality;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KnnQueryTest {

    private static final float[] VECTOR = {0.6f, 0.8f};

    @Test
    void kMustBeBetweenOneAndOneThousand() {
        assertEquals(1, KnnQuery.of(VECTOR, 1).k());
        assertEquals(1000, KnnQuery.of(VECTOR, 1000).k());

        for (int k : new int[] {0, -1, 1001, Integer.MAX_VALUE}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KnnQuery.of(VECTOR, k));
            assertTrue(e.getMessage().contains("k is " + k) && e.getMessage().contains("between 1 and 1000"),
                    e.getMessage());
        }
    }

    @Test
    void vectorMustBeNonEmptyAndFinite() {
        assertThrows(IllegalArgumentException.class, () -> KnnQuery.of(new float[0], 5));
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> KnnQuery.of(new float[] {0.5f, Float.NaN}, 5));
        assertTrue(nan.getMessage().contains("component 1"), nan.getMessage());
    }

    @Test
    void queryKeepsItsOwnCopyOfVectorAndFilters() {
        float[] vector = VECTOR.clone();
        Map<String, String> filters = new HashMap<>(Map.of("tenant", "acme"));
        KnnQuery query = KnnQuery.of(vector, 5).withFilters(filters).withMinScore(0.3f);
        vector[0] = 99f;
        filters.put("category", "cats");

        assertEquals(0.6f, query.vector()[0]);
        assertEquals(Map.of("tenant", "acme"), query.filters());
        assertEquals(0.3f, query.minScore().orElseThrow());
    }

    @Test
    void filtersAndMinScoreAreValidated() {
        KnnQuery query = KnnQuery.of(VECTOR, 5);
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("tenant", null);

        assertThrows(IllegalArgumentException.class, () -> query.withFilters(nullValue));
        assertThrows(IllegalArgumentException.class, () -> query.withMinScore(Float.NaN));
        assertTrue(query.minScore().isEmpty());
    }

    @Test
    void mergeKeepsTheGlobalTopKBestFirstAndAddsUpScans() {
        KnnResult first = new KnnResult(List.of(hit("a", 0.9f), hit("c", 0.5f)), 10);
        KnnResult second = new KnnResult(List.of(hit("d", 0.7f), hit("b", 0.5f), hit("e", 0.1f)), 20);

        KnnResult merged = KnnResult.merge(List.of(first, second), 4);

        assertEquals(List.of("a", "d", "b", "c"), merged.hits().stream().map(ScoredHit::id).toList());
        assertEquals(30, merged.scanned());
    }

    private static ScoredHit hit(String id, float score) {
        return new ScoredHit(id, Modality.IMAGE, score, Map.of(), null);
    }
}
