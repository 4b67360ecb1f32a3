package io.clipstream.explain;

import io.clipstream.encoders.ClipModel;
import io.clipstream.encoders.EncoderSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * How image.explainScale was chosen (docs/BENCHMARKS.md, "Match localisation (issue 8)"): issue 8's
 * measure at scales 1 to 4 (48 to 192 px; the composites stay 128 px) on the test's pairs and on the
 * two sets of {@link MatchLocalisationTest#pairsNotUsedToChooseTheScaleReachTheTargetToo}. A
 * measurement, not a check of the product, so it runs only when asked:
 * {@code ./mvnw -B -o test -Dtest=LocalisationSweepTest -Dclipstream.localisation.sweep=true}.
 */
@EnabledIfSystemProperty(named = "clipstream.localisation.sweep", matches = "true")
class LocalisationSweepTest {

    @Test
    void issue8MeasureAtEachScale() throws IOException {
        List<CompositePairs.Item> gallery = CompositePairs.readGallery(MatchLocalisationTest.GALLERY);
        List<CompositePairs.Pair> test = CompositePairs.choose(gallery, MatchLocalisationTest.PAIRS, MatchLocalisationTest.SEED);
        List<CompositePairs.Pair> disjoint = CompositePairs.disjointFrom(test, gallery,
                CompositePairs.readDemoCorpus(MatchLocalisationTest.DEMO_CORPUS), MatchLocalisationTest.PAIRS,
                MatchLocalisationTest.HELD_OUT_SEED);
        List<CompositePairs.Pair> reseeded = CompositePairs.choose(gallery, MatchLocalisationTest.PAIRS, MatchLocalisationTest.HELD_OUT_SEED);
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "| scale | input | grid | test pairs (%d): judgements / cases / contrast | item-disjoint (%d) | other pairings (%d) | ms per grid |%n",
                test.size(), disjoint.size(), reseeded.size()));
        try (ClipModel model = ClipModel.open(EncoderSettings.cpu(MatchLocalisationTest.MODEL))) {
            int input = model.spec().image().preprocessing().cropHeight();
            for (int scale = 1; scale <= 4; scale++) {
                MatchLocalizer localizer = new MatchLocalizer(model, scale);
                int rows = localizer.localise(CompositePairs.composite(test.get(0)), "x").grid().rows();
                assertEquals(3 * scale, rows, "grid at scale " + scale);
                table.append(String.format(Locale.ROOT, "| %d | %d px | %dx%d | %s | %s | %s | %.1f |%n", scale, input * scale, rows, rows,
                        cells(LocalisationMeasure.measure(localizer, test, null, 0)),
                        cells(LocalisationMeasure.measure(localizer, disjoint, null, 0)),
                        cells(LocalisationMeasure.measure(localizer, reseeded, null, 0)),
                        msPerGrid(model, CompositePairs.composite(test.get(0)), scale)));
            }
        }
        System.out.println(table);
    }

    /** Wall clock of the tower alone (preprocessing and ONNX Runtime), median of 50 after 10 to warm up; shared CPU, indicative only. */
    private static double msPerGrid(ClipModel model, java.awt.image.BufferedImage image, int scale) {
        double[] ms = new double[50];
        for (int i = -10; i < ms.length; i++) {
            long start = System.nanoTime();
            model.image().patchGrid(image, scale, model.id());
            if (i >= 0) {
                ms[i] = (System.nanoTime() - start) / 1e6;
            }
        }
        java.util.Arrays.sort(ms);
        return ms[ms.length / 2];
    }

    private static String cells(LocalisationMeasure.Result r) {
        return String.format(Locale.ROOT, "%.2f / %.2f / %.2f", r.judgements(), r.cases(), r.contrast());
    }
}
