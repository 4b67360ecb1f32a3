package io.clipstream.tools.eval;

import io.clipstream.index.ExactVectorIndex;
import io.clipstream.index.FieldFilter;
import io.clipstream.index.IndexHit;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ranks through the service's own exact search ({@link ExactVectorIndex}, the index behind every
 * vector store): every query is answered with the whole ranked gallery, and the rank of its first
 * right answer is kept. Ties in score are broken by id, as the index does, so runs repeat exactly.
 */
public final class RetrievalEvaluator {

    private final int dimension;

    public RetrievalEvaluator(int dimension) {
        this.dimension = dimension;
    }

    /** Text to image: for each text, the rank of the first image among its right ids. */
    public int[] textToImage(Map<String, float[]> imageVectors, List<TextQuery> queries, List<float[]> queryVectors) {
        ExactVectorIndex index = new ExactVectorIndex(dimension, Math.max(1, imageVectors.size()));
        imageVectors.forEach((id, vector) -> index.upsert(id, vector, Map.of()));
        int[] ranks = new int[queries.size()];
        for (int q = 0; q < queries.size(); q++) {
            TextQuery query = queries.get(q);
            for (String id : query.relevantIds()) {
                if (!imageVectors.containsKey(id)) {
                    throw new IllegalArgumentException(query.source() + ": image id '" + id + "' is not in the gallery; "
                            + "ids are paths under --images without the extension");
                }
            }
            ranks[q] = firstRelevant(index.search(queryVectors.get(q), imageVectors.size(), FieldFilter.NONE, -Float.MAX_VALUE)
                    .hits(), query.relevantIds()::contains);
        }
        return ranks;
    }

    /**
     * Image to text: for each image with at least one text, the rank of its first text among all
     * texts. Images no text names are left out here (they still compete in text to image).
     *
     * @return the ranks, in the order of {@link #imagesWithTexts}
     */
    public int[] imageToText(Map<String, float[]> imageVectors, List<TextQuery> texts, List<float[]> textVectors) {
        ExactVectorIndex index = new ExactVectorIndex(dimension, Math.max(1, texts.size()));
        Map<String, Set<String>> textIdsByImage = new HashMap<>();
        for (int t = 0; t < texts.size(); t++) {
            String textId = textId(t);
            index.upsert(textId, textVectors.get(t), Map.of());
            for (String imageId : texts.get(t).relevantIds()) {
                textIdsByImage.computeIfAbsent(imageId, k -> new HashSet<>()).add(textId);
            }
        }
        List<String> images = imagesWithTexts(imageVectors, texts);
        int[] ranks = new int[images.size()];
        for (int i = 0; i < images.size(); i++) {
            Set<String> right = textIdsByImage.get(images.get(i));
            ranks[i] = firstRelevant(index.search(imageVectors.get(images.get(i)), texts.size(), FieldFilter.NONE,
                    -Float.MAX_VALUE).hits(), right::contains);
        }
        return ranks;
    }

    /** The gallery ids that some text names, in gallery order. */
    public static List<String> imagesWithTexts(Map<String, float[]> imageVectors, List<TextQuery> texts) {
        Set<String> named = new HashSet<>();
        texts.forEach(t -> named.addAll(t.relevantIds()));
        return imageVectors.keySet().stream().filter(named::contains).sorted().toList();
    }

    private static String textId(int index) {
        // Zero-padded so that the index's tie-break by id keeps file order.
        return String.format("t%09d", index);
    }

    private static int firstRelevant(List<IndexHit> hits, java.util.function.Predicate<String> relevant) {
        for (int i = 0; i < hits.size(); i++) {
            if (relevant.test(hits.get(i).id())) {
                return i + 1;
            }
        }
        throw new IllegalStateException("no right answer among " + hits.size() + " ranked items");
    }
}
