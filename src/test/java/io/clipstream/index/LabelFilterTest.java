package io.clipstream.index;

import io.clipstream.schema.ScoredLabel;
import io.clipstream.schema.VectorRecord;
import io.clipstream.common.Tag;
import io.clipstream.testing.TestVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code label} filter matches an item whose stored zero-shot labels include the value. */
class LabelFilterTest {

    static VectorRecord labelled(String id, float[] vector, Map<String, String> metadata, String... labels) {
        VectorRecord record = TestVectors.record(id, vector, "acme", "clipart");
        record.setMetadata(metadata);
        record.setLabels(java.util.Arrays.stream(labels).map(l -> new ScoredLabel(l, 0.5f)).toList());
        return record;
    }

    @Test
    void anItemMatchesEachOfItsLabelsAndNothingElse() {
        IndexedVector item = IndexedVector.from(labelled("a", new float[]{1, 0}, Map.of(), "dog", "cat", "house"));

        assertEquals(List.of(new Tag("dog", 0.5f), new Tag("cat", 0.5f), new Tag("house", 0.5f)), item.labels());
        for (String label : List.of("dog", "cat", "house")) {
            assertTrue(FieldFilter.of(Map.of("label", label)).matches(item.filterableFields()), label);
        }
        assertFalse(FieldFilter.of(Map.of("label", "car")).matches(item.filterableFields()));
        assertTrue(FieldFilter.of(Map.of("label", "dog", "tenant", "acme")).matches(item.filterableFields()));
        assertFalse(FieldFilter.of(Map.of("label", "dog", "tenant", "globex")).matches(item.filterableFields()));
        assertEquals(Map.of(), item.metadata(), "labels are not shown as metadata");
    }

    @Test
    void aMetadataEntryNamedLabelStillFiltersAsBefore() {
        IndexedVector item = IndexedVector.from(labelled("a", new float[]{1, 0}, Map.of("label", "sale")));
        assertTrue(FieldFilter.of(Map.of("label", "sale")).matches(item.filterableFields()));
        assertFalse(FieldFilter.of(Map.of("label", "dog")).matches(item.filterableFields()));
    }

    @Test
    void searchesKeepOnlyItemsWithTheLabelWhetherScannedOrWalked(@TempDir Path dir) throws Exception {
        Random random = new Random(7);
        AnnSettings graph = new AnnSettings(8, 32, 2f, 64, 0, AnnSettings.Compression.NONE, 0.0);
        try (SegmentMaintenance maintenance = new SegmentMaintenance(2)) {
            for (AnnSettings ann : java.util.Arrays.asList(null, graph)) {
                try (SegmentedIndex index = SegmentedIndex.open("labels", dir.resolve(String.valueOf(ann != null)), 8,
                        "m", ann, SegmentSettings.DEFAULTS.withRunVectors(16).withIdleAfter(java.time.Duration.ZERO),
                        FullPrecisionSource.NONE, maintenance)) {
                    for (int i = 0; i < 40; i++) {
                        String[] labels = i % 4 == 0 ? new String[]{"dog", "animal"} : new String[]{"car", "vehicle"};
                        IndexedVector item = IndexedVector.from(labelled("item-" + i, TestVectors.randomUnitVector(random, 8),
                                Map.of(), labels));
                        index.apply(IndexChange.upsert(item, i, 0));
                    }
                    assertTrue(index.awaitQuiet(java.time.Duration.ofMinutes(5)));
                    List<ItemHit> hits = index.search(TestVectors.randomUnitVector(random, 8), 40,
                            FieldFilter.of(Map.of("label", "dog")), Float.NEGATIVE_INFINITY, SearchOptions.auto()).hits();
                    assertEquals(10, hits.size(), ann == null ? "scans" : "graphs");
                    hits.forEach(hit -> assertEquals(0, Integer.parseInt(hit.id().substring(5)) % 4, hit.id()));
                }
            }
        }
    }
}
