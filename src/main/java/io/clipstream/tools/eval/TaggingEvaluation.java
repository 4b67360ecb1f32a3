package io.clipstream.tools.eval;

import io.clipstream.common.ProgressBars;
import io.clipstream.encoders.ClipModel;
import io.clipstream.common.Tag;
import io.clipstream.tagging.TaggingSettings;
import io.clipstream.tagging.ZeroShotTagger;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One run of {@code clipstream evaluate-tags}: zero-shot tagging accuracy on a gallery whose
 * folders are the categories. The vocabulary is the set of category folders (as words), each
 * image's true label is its own folder, and the images are tagged by the service's own
 * {@link ZeroShotTagger} (the embedder's code path: label x template prompts through the text
 * tower, one matrix product). Reported beside a random ranking of the labels (k / L exactly) and
 * beside always answering the gallery's k most frequent categories; and, because galleries are
 * skewed (a few big categories), also as the mean over categories of their own accuracy, where
 * both baselines score exactly k / L.
 *
 * @param progress where progress bars go (stderr), or null for none
 */
public record TaggingEvaluation(ClipModel model, SvgRasterizer svg, int batchSize, ProgressBars progress) {

    /** The cut-offs reported: the true label among the first k labels. */
    public static final int[] CUTOFFS = {1, 3, 5};

    public TaggingReport run(List<GalleryImage> gallery, CategoryLevel level, Set<String> excludedFolders,
                             List<String> templates) throws IOException {
        List<GalleryImage> kept = new ArrayList<>();
        Map<String, String> truth = new LinkedHashMap<>();
        for (GalleryImage image : gallery) {
            String folder = level.folderOf(image.id());
            if (folder != null && !excludedFolders.contains(folder)) {
                kept.add(image);
                truth.put(image.id(), CategoryLevel.labelOf(folder));
            }
        }
        List<String> vocabulary = List.copyOf(new TreeSet<>(truth.values()));
        if (vocabulary.size() < 2) {
            throw new IllegalArgumentException("the gallery has " + vocabulary.size() + " categories at level " + level
                    + " after exclusions; tagging needs at least 2 (images must sit in category folders)");
        }
        int deepest = CUTOFFS[CUTOFFS.length - 1];
        ZeroShotTagger tagger = ZeroShotTagger.build(model.text(), new TaggingSettings(vocabulary, templates, deepest));
        Map<String, float[]> vectors = new Evaluation(model, svg, batchSize, progress).embedImages(kept);
        List<String> ids = new ArrayList<>(vectors.keySet());
        List<List<Tag>> tagged = tagger.tag(ids.stream().map(vectors::get).toArray(float[][]::new));

        Map<String, int[]> perCategory = new TreeMap<>();
        int[] hits = new int[CUTOFFS.length];
        for (int i = 0; i < ids.size(); i++) {
            String right = truth.get(ids.get(i));
            int rank = rankOf(right, tagged.get(i));
            int[] category = perCategory.computeIfAbsent(right, c -> new int[1 + CUTOFFS.length]);
            category[0]++;
            for (int c = 0; c < CUTOFFS.length; c++) {
                if (rank <= CUTOFFS[c]) {
                    hits[c]++;
                    category[1 + c]++;
                }
            }
        }
        int n = ids.size();
        double[] accuracy = new double[CUTOFFS.length];
        double[] random = new double[CUTOFFS.length];
        double[] frequent = new double[CUTOFFS.length];
        List<Integer> sizes = perCategory.values().stream().map(c -> c[0]).sorted(Comparator.reverseOrder()).toList();
        for (int c = 0; c < CUTOFFS.length; c++) {
            accuracy[c] = (double) hits[c] / n;
            random[c] = Math.min(1.0, (double) CUTOFFS[c] / vocabulary.size());
            frequent[c] = sizes.stream().limit(CUTOFFS[c]).mapToInt(Integer::intValue).sum() / (double) n;
        }
        double[] perCategoryMean = new double[CUTOFFS.length];
        for (int c = 0; c < CUTOFFS.length; c++) {
            int cutoff = c;
            perCategoryMean[c] = perCategory.values().stream().mapToDouble(counts -> counts[1 + cutoff] / (double) counts[0])
                    .average().orElse(0);
        }
        Map<String, TaggingReport.Category> categories = new LinkedHashMap<>();
        perCategory.forEach((label, counts) -> categories.put(label,
                new TaggingReport.Category(counts[0], counts[1] / (double) counts[0], counts[2] / (double) counts[0])));
        return new TaggingReport(model.id(), level, vocabulary, templates, n, gallery.size() - n, CUTOFFS.clone(), accuracy,
                random, frequent, perCategoryMean, categories);
    }

    /** 1-based position of {@code label} among the tags, or past the end when it is not there. */
    private static int rankOf(String label, List<Tag> tags) {
        for (int i = 0; i < tags.size(); i++) {
            if (tags.get(i).label().equals(label)) {
                return i + 1;
            }
        }
        return Integer.MAX_VALUE;
    }
}
