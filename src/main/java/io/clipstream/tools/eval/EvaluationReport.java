package io.clipstream.tools.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The metrics of one evaluation run, by section ({@code text_to_image}, {@code image_to_text},
 * {@code queries}), each beside what a random ranking would score.
 */
public record EvaluationReport(String modelId, int dimension, int images, int captions, int queries,
                               Map<String, RankMetrics> measured, Map<String, RankMetrics> random) implements PrintableReport {

    public EvaluationReport {
        measured = new LinkedHashMap<>(measured);
        random = new LinkedHashMap<>(random);
    }

    /** One JSON object with flat keys such as {@code text_to_image.recall@10} and {@code random.text_to_image.recall@10}. */
    @Override
    public String toJson() {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("model", modelId);
        root.put("dimension", dimension);
        root.put("images", images);
        root.put("captions", captions);
        root.put("queries", queries);
        measured.forEach((section, m) -> put(root, section, m));
        random.forEach((section, m) -> put(root, "random." + section, m));
        return root.toString();
    }

    @Override
    public String toTable() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "model %s (dimension %d): %d images, %d captions, %d queries%n",
                modelId, dimension, images, captions, queries));
        out.append(String.format(Locale.ROOT, "%-24s %7s %7s %7s %12s %7s%n", "", "R@1", "R@5", "R@10", "median rank", "n"));
        measured.forEach((section, m) -> {
            row(out, section.replace('_', ' '), m);
            RankMetrics baseline = random.get(section);
            if (baseline != null) {
                row(out, "  random (expected)", baseline);
            }
        });
        return out.toString();
    }

    private static void row(StringBuilder out, String label, RankMetrics m) {
        out.append(String.format(Locale.ROOT, "%-24s %7.4f %7.4f %7.4f %12.1f %7d%n", label, m.recallAt1(), m.recallAt5(),
                m.recallAt10(), m.medianRank(), m.count()));
    }

    private static void put(ObjectNode root, String section, RankMetrics m) {
        root.put(section + ".count", m.count());
        for (int cutoff : RankMetrics.CUTOFFS) {
            root.put(section + ".recall@" + cutoff, round(m.recallAt(cutoff)));
        }
        root.put(section + ".median_rank", m.medianRank());
    }

    private static double round(double value) {
        return Double.isNaN(value) ? value : Math.round(value * 1e6) / 1e6;
    }
}
