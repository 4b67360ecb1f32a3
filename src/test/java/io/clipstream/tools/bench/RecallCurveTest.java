package io.clipstream.tools.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecallCurveTest {

    static final RecallCurve HNSWLIB = new RecallCurve("hnswlib", List.of(
            new RecallCurve.Point(0.80, 4000), new RecallCurve.Point(0.90, 2000), new RecallCurve.Point(0.95, 1000)));

    @Test
    void aMeasuredRecallGivesItsOwnSpeed() {
        assertEquals(2000, HNSWLIB.qpsAt(0.90).orElseThrow(), 1e-9);
    }

    @Test
    void betweenTwoPointsSpeedFollowsALogScaleLine() {
        // Half way from 0.90 (2000/s) to 0.95 (1000/s): the geometric mean.
        assertEquals(Math.sqrt(2000.0 * 1000.0), HNSWLIB.qpsAt(0.925).orElseThrow(), 1e-6);
    }

    @Test
    void noFigureBeyondTheSweep() {
        assertTrue(HNSWLIB.qpsAt(0.99).isEmpty());
        assertTrue(HNSWLIB.qpsAt(0.5).isEmpty());
    }

    @Test
    void aSlowerPointWithNoBetterRecallIsIgnored() {
        RecallCurve noisy = new RecallCurve("noisy", List.of(new RecallCurve.Point(0.90, 2000),
                new RecallCurve.Point(0.89, 500), new RecallCurve.Point(0.95, 1000)));
        assertEquals(2000, noisy.qpsAt(0.895).orElseThrow(), 1e-9);
    }

    @Test
    void theRatioComparesAtTheSameRecall() {
        RecallCurve.Point ours = new RecallCurve.Point(0.90, 3000);
        assertEquals(1.5, new RecallCurve("ours", List.of(ours)).ratioTo(HNSWLIB, ours).orElseThrow(), 1e-9);
        assertTrue(new RecallCurve("ours", List.of()).ratioTo(HNSWLIB, new RecallCurve.Point(0.999, 10)).isEmpty());
    }
}
