package io.clipstream.tools.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Zero-shot tagging accuracy: the share of images whose true category is among their first k
 * labels, beside a random ranking of the L labels (k / L) and beside always answering the k most
 * frequent categories of the gallery.
 *
 * @param images     images evaluated (those in a category folder that is not excluded)
 * @param skipped    gallery images left out (at the root, or in an excluded folder)
 * @param perCategoryMean the mean over categories of each category's accuracy (random and most-frequent: k / L)
 * @param categories per true category: images, top-1 and top-3 accuracy
 */
public record TaggingReport(String modelId, CategoryLevel level, List<String> vocabulary, List<String> templates, int images,
                            int skipped, int[] cutoffs, double[] accuracy, double[] random, double[] mostFrequent,
                            double[] perCategoryMean, Map<String, Category> categories) implements PrintableReport {

    public record Category(int images, double top1, double top3) {
    }

    public double accuracyAt(int k) {
        return accuracy[indexOf(k)];
    }

    public double randomAt(int k) {
        return random[indexOf(k)];
    }

    private int indexOf(int k) {
        for (int i = 0; i < cutoffs.length; i++) {
            if (cutoffs[i] == k) {
                return i;
            }
        }
        throw new IllegalArgumentException("cut-off " + k + " is not reported; the cut-offs are " + java.util.Arrays.toString(cutoffs));
    }

    @Override
    public String toTable() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "model %s: %d images (%d skipped), L = %d labels (%s level), %d templates %s%n",
                modelId, images, skipped, vocabulary.size(), level.name().toLowerCase(Locale.ROOT), templates.size(), templates));
        out.append(String.format(Locale.ROOT, "%-32s", ""));
        for (int k : cutoffs) {
            out.append(String.format(Locale.ROOT, " %7s", "top-" + k));
        }
        out.append(System.lineSeparator());
        row(out, "zero-shot tagging", accuracy);
        row(out, "  random (expected, k/L)", random);
        row(out, "  k most frequent categories", mostFrequent);
        row(out, "mean over categories", perCategoryMean);
        row(out, "  random or most frequent (k/L)", random);
        out.append(String.format(Locale.ROOT, "%n%-32s %7s %7s %7s%n", "category", "images", "top-1", "top-3"));
        categories.forEach((label, c) -> out.append(String.format(Locale.ROOT, "%-32s %7d %7.3f %7.3f%n", label, c.images(),
                c.top1(), c.top3())));
        return out.toString();
    }

    /** One JSON object with keys such as {@code top3}, {@code random.top3} and {@code labels}. */
    @Override
    public String toJson() {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("model", modelId);
        root.put("level", level.name().toLowerCase(Locale.ROOT));
        root.put("images", images);
        root.put("skipped", skipped);
        root.put("labels", vocabulary.size());
        root.set("vocabulary", json.valueToTree(vocabulary));
        root.set("templates", json.valueToTree(templates));
        for (int i = 0; i < cutoffs.length; i++) {
            root.put("top" + cutoffs[i], round(accuracy[i]));
            root.put("random.top" + cutoffs[i], round(random[i]));
            root.put("most_frequent.top" + cutoffs[i], round(mostFrequent[i]));
            root.put("category_mean.top" + cutoffs[i], round(perCategoryMean[i]));
        }
        ObjectNode perCategory = root.putObject("categories");
        categories.forEach((label, c) -> perCategory.putObject(label).put("images", c.images()).put("top1", round(c.top1()))
                .put("top3", round(c.top3())));
        return root.toString();
    }

    private static void row(StringBuilder out, String label, double[] values) {
        out.append(String.format(Locale.ROOT, "%-32s", label));
        for (double value : values) {
            out.append(String.format(Locale.ROOT, " %7.4f", value));
        }
        out.append(System.lineSeparator());
    }

    private static double round(double value) {
        return Math.round(value * 1e6) / 1e6;
    }
}
