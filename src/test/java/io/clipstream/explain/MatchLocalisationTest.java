package io.clipstream.explain;

import io.clipstream.encoders.ClipModel;
import io.clipstream.encoders.EncoderSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 8's acceptance measure, on the real default model: 50 composites of two held-out gallery
 * items of different categories (left | right, see {@link CompositePairs}); for each, the heat map of
 * the left item's caption and of the right item's caption, as {@code POST /v1/explain} computes it
 * (the tower run at the model's {@code image.explainScale}).
 *
 * <p>Mass: the {@link HeatMap}'s intensity, {@code (score - min) / (max - min)} of the bilinearly
 * upsampled grid, summed over a half's pixels (with an odd number of grid columns the middle one,
 * straddling the halves, is thereby split evenly). A judgement is right when a caption's own half
 * holds more mass than the other half. Reported: the share of the 100 judgements that are right, and
 * the share of the 50 cases where both are; chance is 0.5 and 0.25. Also reported, as a check on the
 * model's positional prior: the share of cases where the left caption puts a larger share of its mass
 * on the left half than the right caption does. See {@link LocalisationMeasure}.
 *
 * <p>Issue 8 asks for 0.80 of the judgements. clipstream-default-v2 reached 0.68 with its 3x3 grid
 * at the 48 px embedding input; run at 3x (144 px, a 9x9 grid, {@code image.explainScale} 3) it
 * reaches 0.89 on these pairs (docs/BENCHMARKS.md, "Match localisation (issue 8)"). The scale was
 * CHOSEN on these same 50 pairs (48, 96, 144 and 192 px measured), so that figure is optimistic;
 * {@link #pairsNotUsedToChooseTheScaleReachTheTargetToo} measures two sets that were not used to
 * choose. This test asserts the target itself, 9 judgements below the measured figure (the run is
 * deterministic), and that the explain scale beats the 48 px grid, so a broken grid orientation,
 * window, normalisation or scale fails it.
 */
class MatchLocalisationTest {

    static final Path MODEL = Path.of("models/default");
    static final Path GALLERY = Path.of("src/test/resources/eval-gallery");
    static final Path DEMO_CORPUS = Path.of("src/main/resources/demo/corpus");
    static final int PAIRS = 50;
    static final long SEED = 8;
    /** Seed of the pairs not used to choose image.explainScale. */
    static final long HELD_OUT_SEED = 9;
    static final double TARGET = 0.80;
    static final double JUDGEMENT_FLOOR = TARGET;
    /** Overlays of the first few composites go here (copied into docs/explain by hand). */
    static final Path EXAMPLES = Path.of("target", "explain-examples");
    static final int EXAMPLE_COUNT = 6;

    static ClipModel model;

    @BeforeAll
    static void open() {
        model = ClipModel.open(EncoderSettings.cpu(MODEL));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void eachCaptionsHeatLiesMostlyOnItsOwnObjectsHalf() throws IOException {
        List<CompositePairs.Pair> pairs = CompositePairs.choose(CompositePairs.readGallery(GALLERY), PAIRS, SEED);
        assertEquals(PAIRS, pairs.size());
        int scale = model.spec().image().explainScale();
        LocalisationMeasure.Result result = LocalisationMeasure.measure(new MatchLocalizer(model), pairs, EXAMPLES, EXAMPLE_COUNT);
        LocalisationMeasure.Result atInput = LocalisationMeasure.measure(new MatchLocalizer(model, 1), pairs, null, 0);
        String report = String.format(Locale.ROOT, """
                match localisation, model %s, image.explainScale %d, %d composites of held-out gallery pairs (seed %d)
                %sissue 8 target: judgements >= %.2f: %s
                (at the 48 px embedding input, scale 1: judgements %.2f, cases %.2f)
                 i  left  own   right own   left item | right item
                %s""", model.id(), scale, PAIRS, SEED, result.summary(), TARGET, result.judgements() >= TARGET ? "met" : "NOT met",
                atInput.judgements(), atInput.cases(), result.lines());
        System.out.println(report);
        Files.writeString(EXAMPLES.resolve("report.txt"), report);
        assertTrue(result.judgements() >= JUDGEMENT_FLOOR, report);
        assertTrue(result.judgements() > atInput.judgements(), "the explain scale should localise better than the 48 px grid\n" + report);
    }

    /**
     * The same measure on pairs that played no part in choosing {@code image.explainScale}: (a) pairs
     * sharing no item with the test's pairs, from the 20 gallery items they leave and the demo corpus
     * (held-out items too, drawn separately; those also in the gallery are left out), as many as
     * those items allow; (b) 50 new pairings of the gallery (another seed; none of them is one of the
     * test's pairs, but the items are the same).
     */
    @Test
    void pairsNotUsedToChooseTheScaleReachTheTargetToo() throws IOException {
        List<CompositePairs.Item> gallery = CompositePairs.readGallery(GALLERY);
        List<CompositePairs.Pair> testPairs = CompositePairs.choose(gallery, PAIRS, SEED);
        List<CompositePairs.Pair> disjoint = CompositePairs.disjointFrom(testPairs, gallery,
                CompositePairs.readDemoCorpus(DEMO_CORPUS), PAIRS, HELD_OUT_SEED);
        List<CompositePairs.Pair> reseeded = CompositePairs.choose(gallery, PAIRS, HELD_OUT_SEED);
        for (CompositePairs.Pair pair : reseeded) {
            assertTrue(!testPairs.contains(pair) && !testPairs.contains(new CompositePairs.Pair(pair.right(), pair.left())),
                    "seed " + HELD_OUT_SEED + " repeats a test pair: " + pair);
        }
        assertTrue(disjoint.size() >= 30, "only " + disjoint.size() + " item-disjoint pairs");
        MatchLocalizer localizer = new MatchLocalizer(model);
        LocalisationMeasure.Result a = LocalisationMeasure.measure(localizer, disjoint, null, 0);
        LocalisationMeasure.Result b = LocalisationMeasure.measure(localizer, reseeded, null, 0);
        String report = String.format(Locale.ROOT, """
                match localisation on pairs not used to choose image.explainScale %d, model %s
                (a) %d pairs sharing no item with the test's (gallery rest + demo corpus, seed %d)
                %s(b) %d other pairings of the gallery (seed %d)
                %s(a) lines:
                %s""", model.spec().image().explainScale(), model.id(), disjoint.size(), HELD_OUT_SEED, a.summary(),
                reseeded.size(), HELD_OUT_SEED, b.summary(), a.lines());
        System.out.println(report);
        assertTrue(a.judgements() >= TARGET, report);
        assertTrue(b.judgements() >= TARGET, report);
    }
}
