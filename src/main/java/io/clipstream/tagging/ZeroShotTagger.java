package io.clipstream.tagging;

import io.clipstream.common.Tag;
import io.clipstream.encoders.TextEncoder;
import io.clipstream.encoders.TextEmbedding;
import io.clipstream.encoders.Vectors;

import java.util.ArrayList;
import java.util.List;

/**
 * Scores images against a fixed label vocabulary in the model's shared space. At start every
 * label is put into every template and embedded with the text tower; a label's vector is the mean
 * of its prompts' vectors, L2-normalised, so one [L, d] matrix holds the whole vocabulary. A batch
 * of B image vectors is then scored by one [B, d] x [L, d]^T product, and each image keeps its
 * best labels.
 */
public final class ZeroShotTagger {

    private final List<String> labels;
    private final int dimension;
    private final int top;
    /** Row-major [L, d]: row l is label l's normalised prompt mean. */
    private final float[] labelMatrix;

    ZeroShotTagger(List<String> labels, float[] labelMatrix, int dimension, int top) {
        if (labelMatrix.length != labels.size() * dimension) {
            throw new IllegalArgumentException("label matrix has " + labelMatrix.length + " values, not "
                    + labels.size() + " x " + dimension);
        }
        this.labels = List.copyOf(labels);
        this.labelMatrix = labelMatrix;
        this.dimension = dimension;
        this.top = Math.min(top, labels.size());
    }

    /** Embeds the vocabulary with {@code text}; null when tagging is off (no labels). */
    public static ZeroShotTagger build(TextEncoder text, TaggingSettings settings) {
        if (!settings.enabled()) {
            return null;
        }
        List<String> prompts = new ArrayList<>(settings.labels().size() * settings.templates().size());
        for (String label : settings.labels()) {
            for (String template : settings.templates()) {
                prompts.add(TaggingSettings.prompt(template, label));
            }
        }
        List<TextEmbedding> embedded = text.embed(prompts);
        int dimension = embedded.getFirst().vector().length;
        int perLabel = settings.templates().size();
        float[] matrix = new float[settings.labels().size() * dimension];
        for (int l = 0; l < settings.labels().size(); l++) {
            float[] mean = new float[dimension];
            for (int t = 0; t < perLabel; t++) {
                float[] prompt = embedded.get(l * perLabel + t).vector();
                for (int i = 0; i < dimension; i++) {
                    mean[i] += prompt[i];
                }
            }
            System.arraycopy(Vectors.l2Normalize(mean), 0, matrix, l * dimension, dimension);
        }
        return new ZeroShotTagger(settings.labels(), matrix, dimension, settings.top());
    }

    public List<String> labels() {
        return labels;
    }

    /** Labels kept per image: tagging.top, or fewer when the vocabulary is smaller. */
    public int top() {
        return top;
    }

    /** The best labels of each image, best first (equal scores in vocabulary order); one list per row of {@code images}. */
    public List<List<Tag>> tag(float[][] images) {
        float[][] scores = scores(images);
        List<List<Tag>> tagged = new ArrayList<>(images.length);
        for (float[] row : scores) {
            int[] best = bestFirst(row, top);
            List<Tag> tags = new ArrayList<>(best.length);
            for (int l : best) {
                tags.add(new Tag(labels.get(l), row[l]));
            }
            tagged.add(List.copyOf(tags));
        }
        return tagged;
    }

    /** Every label's score for every image: the [B, d] x [L, d]^T product, as [B][L]. */
    public float[][] scores(float[][] images) {
        int count = labels.size();
        float[][] scores = new float[images.length][count];
        for (int b = 0; b < images.length; b++) {
            float[] image = images[b];
            if (image.length != dimension) {
                throw new IllegalArgumentException("image vector " + b + " has dimension " + image.length
                        + " but the label vocabulary was embedded with dimension " + dimension);
            }
            float[] out = scores[b];
            for (int l = 0; l < count; l++) {
                int offset = l * dimension;
                float sum = 0;
                for (int i = 0; i < dimension; i++) {
                    sum += image[i] * labelMatrix[offset + i];
                }
                out[l] = sum;
            }
        }
        return scores;
    }

    /** Indices of the {@code k} highest values, highest first; ties go to the lower index. */
    static int[] bestFirst(float[] values, int k) {
        int n = Math.min(k, values.length);
        int[] best = new int[n];
        int filled = 0;
        for (int i = 0; i < values.length; i++) {
            // Insertion into a short sorted list: k is a handful, L at most a few thousand.
            int at = filled;
            while (at > 0 && values[i] > values[best[at - 1]]) {
                at--;
            }
            if (at >= n) {
                continue;
            }
            int last = Math.min(filled, n - 1);
            System.arraycopy(best, at, best, at + 1, last - at);
            best[at] = i;
            filled = Math.min(filled + 1, n);
        }
        return best;
    }
}
