package io.clipstream.explain;

import io.clipstream.encoders.MatchGrid;
import io.clipstream.encoders.image.CropWindow;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeatMapTest {

    private static MatchGrid grid(int rows, int cols, CropWindow window, float... scores) {
        return new MatchGrid(rows, cols, scores, window);
    }

    @Test
    void normalisesWithinTheImageFromWorstToBestCell() {
        // 3x3 over a 30x30 image: cell centres at pixels 5, 15, 25 (pixel centre x + 0.5).
        HeatMap map = HeatMap.of(grid(3, 3, new CropWindow(0, 0, 30, 30),
                0.2f, 0.3f, 0.4f,
                0.2f, 0.3f, 0.4f,
                0.2f, 0.3f, 0.6f), 30, 30);
        // Pixel 4 has its centre at 4.5, a little left of the first cell's centre: clamped to that cell.
        assertEquals(0f, map.intensity(4, 4), 1e-6);
        // Cell (2, 2)'s centre is at 25: pixel 24.5..25.5 straddles it; pixel 29 is clamped to it.
        assertEquals(1f, map.intensity(29, 29), 1e-6);
        // Pixel 14: column coordinate 14.5 / 10 - 0.5 = 0.95, so 0.2 + 0.95 * 0.1 = 0.295, normalised (0.295 - 0.2) / 0.4.
        assertEquals(0.2375f, map.intensity(14, 4), 1e-5);
    }

    @Test
    void interpolatesBilinearlyBetweenCellCentres() {
        float[] cells = {0f, 1f, 2f, 3f};
        assertEquals(1.5f, HeatMap.bilinear(cells, 2, 2, 0.5, 0.5), 1e-6);
        assertEquals(0.25f, HeatMap.bilinear(cells, 2, 2, 0, 0.25), 1e-6);
        assertEquals(3f, HeatMap.bilinear(cells, 2, 2, 5, 5), 1e-6, "clamped past the last centre");
        assertEquals(0f, HeatMap.bilinear(cells, 2, 2, -1, -1), 1e-6, "clamped before the first centre");
    }

    @Test
    void aLeftHotGridPutsItsMassOnTheLeft() {
        HeatMap map = HeatMap.of(grid(3, 3, new CropWindow(0, 0, 60, 60),
                0.9f, 0.5f, 0.1f,
                0.9f, 0.5f, 0.1f,
                0.9f, 0.5f, 0.1f), 60, 60);
        assertTrue(map.mass(0, 30) > 2 * map.mass(30, 60), map.mass(0, 30) + " vs " + map.mass(30, 60));
        // Symmetric around the middle column: the two halves' masses add up to the whole.
        assertEquals(map.mass(0, 60), map.mass(0, 30) + map.mass(30, 60), 1e-6);
    }

    @Test
    void pixelsOutsideTheCropAreNotScored() {
        // A 100x50 image centre-cropped to its middle 50x50: columns 0..24 and 75..99 were never seen.
        HeatMap map = HeatMap.of(grid(1, 1, new CropWindow(25, 0, 50, 50), 0.5f), 100, 50);
        assertTrue(Float.isNaN(map.intensity(10, 10)));
        assertTrue(Float.isNaN(map.intensity(99, 49)));
        assertEquals(0f, map.intensity(50, 25));
        assertEquals(0, map.mass(0, 25));
    }

    @Test
    void aFlatGridShowsNothingRatherThanNoise() {
        HeatMap map = HeatMap.of(grid(2, 2, new CropWindow(0, 0, 8, 8), 0.3f, 0.3f, 0.3f, 0.3f), 8, 8);
        assertEquals(0, map.mass(0, 8));
    }

    @Test
    void refusesAnEmptyImage() {
        assertThrows(IllegalArgumentException.class, () -> HeatMap.of(grid(1, 1, new CropWindow(0, 0, 1, 1), 0f), 0, 5));
    }
}
