package io.clipstream.tools.bench;

import io.clipstream.schema.ImageEvent;
import io.clipstream.schema.VectorRecord;
import io.clipstream.common.VectorRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PipelineWorkloadTest {

    @ParameterizedTest
    @EnumSource(VectorData.class)
    void vectorsAreUnitLengthCarryTheModelAndDoNotDependOnTheLoadingSteps(VectorData data) {
        List<VectorRecord> whole = PipelineWorkload.vectors(0, 10, "m", 512, 42, data);
        List<VectorRecord> secondHalf = PipelineWorkload.vectors(5, 10, "m", 512, 42, data);
        for (VectorRecord record : whole) {
            float[] v = VectorRecords.toArray(record.getVector());
            double norm = 0;
            for (float x : v) {
                norm += x * x;
            }
            assertEquals(1.0, norm, 1e-5, record.getId());
            assertEquals(512, record.getDimension());
            assertEquals("m", record.getModelId());
        }
        assertEquals("bench-vec-0000005", secondHalf.get(0).getId());
        assertArrayEquals(VectorRecords.toArray(whole.get(5).getVector()), VectorRecords.toArray(secondHalf.get(0).getVector()));
        assertNotEquals(VectorRecords.toArray(whole.get(0).getVector())[0], VectorRecords.toArray(whole.get(1).getVector())[0]);
        assertNotEquals(VectorRecords.toArray(whole.get(0).getVector())[0],
                VectorRecords.toArray(PipelineWorkload.vectors(0, 1, "m", 512, 43, data).get(0).getVector())[0], "the seed matters");
    }

    @Test
    void clusteredVectorsSitCloseToTheirCentreAndRandomOnesNowhere() {
        // 20,000 clustered vectors over 1,000 centres: the first shares its centre with others, near it; random ones never are.
        double clustered = bestNeighbourScore(VectorData.CLUSTERED);
        double random = bestNeighbourScore(VectorData.RANDOM);
        assertTrue(clustered > 0.4, "clustered vectors have close neighbours: " + clustered);
        assertTrue(random < 0.3, "random 512-d directions are nearly orthogonal: " + random);
    }

    private static double bestNeighbourScore(VectorData data) {
        List<VectorRecord> records = PipelineWorkload.vectors(0, 20_000, "m", 512, 7, data);
        float[] first = VectorRecords.toArray(records.get(0).getVector());
        double best = -1;
        for (int i = 1; i < records.size(); i++) {
            float[] other = VectorRecords.toArray(records.get(i).getVector());
            double dot = 0;
            for (int d = 0; d < first.length; d++) {
                dot += first[d] * other[d];
            }
            best = Math.max(best, dot);
        }
        return best;
    }

    @Test
    void imageEventsHaveUniqueIdsAndCycleThroughTheImages() {
        List<byte[]> images = PipelineWorkload.images(List.of(Path.of("src/test/resources/fixtures/model-parity/images"),
                Path.of("no/such/dir")));
        assertTrue(images.size() >= 24 + 20, "demo corpus and fixtures: " + images.size());
        List<ImageEvent> events = PipelineWorkload.imageEvents("p", images.size() + 3, images);
        Set<String> ids = new HashSet<>();
        events.forEach(e -> ids.add(e.getId()));
        assertEquals(events.size(), ids.size());
        assertEquals(images.get(2).length, events.get(images.size() + 2).getBytes().remaining());
    }

    @Test
    void queryTextsAreVariedAndRepeatOnlyAfterEveryOneWasUsed() {
        List<String> texts = PipelineWorkload.queryTexts(1024, 1);
        assertEquals(1024, new HashSet<>(texts).size());
        assertEquals(texts, PipelineWorkload.queryTexts(1024, 1));
        assertEquals(texts.get(0), PipelineWorkload.queryTexts(1025, 1).get(1024));
    }
}
