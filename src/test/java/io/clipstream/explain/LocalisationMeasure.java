package io.clipstream.explain;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Issue 8's measure over a set of composites (see {@link MatchLocalisationTest} for the protocol):
 * for each pair, the heat map of the left caption and of the right caption, and whether each puts
 * more mass on its own half.
 */
final class LocalisationMeasure {

    /** The counts over {@code pairs} composites, and one line per composite. */
    record Result(int pairs, int leftRight, int rightRight, int bothRight, int contrastRight, String lines) {

        double judgements() {
            return (leftRight + rightRight) / (2.0 * pairs);
        }

        double cases() {
            return bothRight / (double) pairs;
        }

        double contrast() {
            return contrastRight / (double) pairs;
        }

        String summary() {
            return String.format(Locale.ROOT, """
                    left caption -> left half:   %d/%d (%.2f)
                    right caption -> right half: %d/%d (%.2f)
                    judgements right:            %d/%d (%.2f)
                    cases with both right:       %d/%d (%.2f)
                    left caption's left share > right caption's left share: %d/%d (%.2f)
                    """, leftRight, pairs, leftRight / (double) pairs, rightRight, pairs, rightRight / (double) pairs,
                    leftRight + rightRight, 2 * pairs, judgements(), bothRight, pairs, cases(), contrastRight, pairs, contrast());
        }
    }

    private LocalisationMeasure() {
    }

    /**
     * Measures {@code localizer} on {@code pairs}; when {@code examples} is not null, writes the strips
     * (composite | left caption's overlay | right caption's overlay) of the first {@code exampleCount}.
     */
    static Result measure(MatchLocalizer localizer, List<CompositePairs.Pair> pairs, Path examples, int exampleCount)
            throws IOException {
        HeatMapRenderer renderer = new HeatMapRenderer();
        if (examples != null) {
            Files.createDirectories(examples);
        }
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
            if (examples != null && i < exampleCount) {
                writeStrip(examples.resolve(String.format(Locale.ROOT, "pair-%02d.png", i)), composite,
                        renderer.composite(composite, forLeft), renderer.composite(composite, forRight));
            }
        }
        return new Result(pairs.size(), leftRight, rightRight, bothRight, contrastRight, lines.toString());
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
        Graphics2D g = strip.createGraphics();
        try {
            g.setColor(Color.WHITE);
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
