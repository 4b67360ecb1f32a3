package io.clipstream.explain;

import io.clipstream.encoders.ClipModel;
import io.clipstream.encoders.EncoderSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
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
 * the left item's caption and of the right item's caption.
 *
 * <p>Mass: the {@link HeatMap}'s intensity, {@code (score - min) / (max - min)} of the bilinearly
 * upsampled 3x3 grid, summed over a half's pixels (the middle column, straddling the halves, is
 * thereby split evenly). A judgement is right when a caption's own half holds more mass than the
 * other half. Reported: the share of the 100 judgements that are right, and the share of the 50
 * cases where both are; chance is 0.5 and 0.25. Also reported, as a check on the model's positional
 * prior (its grid leans left for most captions, even on a blank image): the share of cases where
 * the left caption puts a larger share of its mass on the left half than the right caption does.
 *
 * <p>Issue 8 asks for 0.80 of the judgements. clipstream-default-v2 reaches 0.68 (docs/BENCHMARKS.md,
 * "Match localisation (issue 8)"), so the target is NOT met and is not what this test asserts: it
 * asserts {@link #JUDGEMENT_FLOOR}, well above chance and below the measured figure (the run is
 * deterministic), so that a broken grid orientation, window or normalisation fails it. Raise it to
 * the target with a model that localises better.
 */
class MatchLocalisationTest {

    static final Path MODEL = Path.of("models/default");
    static final Path GALLERY = Path.of("src/test/resources/eval-gallery");
    static final int PAIRS = 50;
    static final long SEED = 8;
    static final double TARGET = 0.80;
    static final double JUDGEMENT_FLOOR = 0.60;
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
        MatchLocalizer localizer = new MatchLocalizer(model);
        HeatMapRenderer renderer = new HeatMapRenderer();
        Files.createDirectories(EXAMPLES);
        int leftRight = 0;
        int rightRight = 0;
        int bothRight = 0;
        int contrastRight = 0;
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < pairs.size(); i++) {
            CompositePairs.Pair pair = pairs.get(i);
            BufferedImage composite = CompositePairs.composite(pair);
            HeatMap forLeft = heat(localizer, composite, pair.left().caption());
            HeatMap forRight = heat(localizer, composite, pair.right().caption());
            double leftShare = ownShare(forLeft, true);
            double rightShare = ownShare(forRight, false);
            boolean left = leftShare > 0.5;
            boolean right = rightShare > 0.5;
            leftRight += left ? 1 : 0;
            rightRight += right ? 1 : 0;
            bothRight += left && right ? 1 : 0;
            contrastRight += leftShare > 1 - rightShare ? 1 : 0;
            lines.append(String.format(Locale.ROOT, "%2d  %-5s %.2f  %-5s %.2f  %s | %s%n", i, left, leftShare, right, rightShare,
                    pair.left().id(), pair.right().id()));
            if (i < EXAMPLE_COUNT) {
                writeStrip(EXAMPLES.resolve(String.format(Locale.ROOT, "pair-%02d.png", i)), composite,
                        renderer.composite(composite, forLeft), renderer.composite(composite, forRight));
            }
        }
        double judgements = (leftRight + rightRight) / (2.0 * PAIRS);
        double cases = bothRight / (double) PAIRS;
        double contrast = contrastRight / (double) PAIRS;
        String report = String.format(Locale.ROOT, """
                match localisation, model %s, %d composites of held-out gallery pairs (seed %d)
                left caption -> left half:   %d/%d (%.2f)
                right caption -> right half: %d/%d (%.2f)
                judgements right:            %d/%d (%.2f)
                cases with both right:       %d/%d (%.2f)
                left caption's left share > right caption's left share: %d/%d (%.2f)
                issue 8 target: judgements >= %.2f: %s
                 i  left  own   right own   left item | right item
                %s""", model.id(), PAIRS, SEED, leftRight, PAIRS, leftRight / (double) PAIRS, rightRight, PAIRS,
                rightRight / (double) PAIRS, leftRight + rightRight, 2 * PAIRS, judgements, bothRight, PAIRS, cases,
                contrastRight, PAIRS, contrast, TARGET, judgements >= TARGET ? "met" : "NOT met", lines);
        System.out.println(report);
        Files.writeString(EXAMPLES.resolve("report.txt"), report);
        assertTrue(judgements >= JUDGEMENT_FLOOR, report);
    }

    private static HeatMap heat(MatchLocalizer localizer, BufferedImage image, String caption) {
        MatchLocalizer.Localisation localisation = localizer.localise(image, caption);
        return HeatMap.of(localisation.grid(), image.getWidth(), image.getHeight());
    }

    /** The share of the map's mass on the caption's own half. */
    private static double ownShare(HeatMap map, boolean ownIsLeft) {
        double left = map.mass(0, CompositePairs.HALF);
        double right = map.mass(CompositePairs.HALF, CompositePairs.SIZE);
        double total = left + right;
        if (total == 0) {
            return 0.5;
        }
        return (ownIsLeft ? left : right) / total;
    }

    private static void writeStrip(Path file, BufferedImage... panels) throws IOException {
        int gap = 4;
        int width = panels.length * CompositePairs.SIZE + (panels.length - 1) * gap;
        BufferedImage strip = new BufferedImage(width, CompositePairs.SIZE, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = strip.createGraphics();
        try {
            g.setColor(java.awt.Color.WHITE);
            g.fillRect(0, 0, width, CompositePairs.SIZE);
            for (int i = 0; i < panels.length; i++) {
                g.drawImage(panels[i], i * (CompositePairs.SIZE + gap), 0, null);
            }
        } finally {
            g.dispose();
        }
        ImageIO.write(strip, "png", file.toFile());
    }
}
