package io.clipstream.topology;

import io.clipstream.schema.ImageAnnotation;
import io.clipstream.schema.ScoredLabel;
import io.clipstream.schema.VectorRecord;
import io.clipstream.common.Tag;
import io.clipstream.tagging.ZeroShotTagger;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The image embedder's zero-shot tagging: each embedded batch is scored against the vocabulary in
 * one matrix product, each vector record carries its image's best labels, and each labelled image
 * yields an {@link ImageAnnotation} for the annotations sink, forwarded beside its vector in the
 * same processing step (so in the same transaction under exactly-once).
 *
 * <p>Labels are computed when a batch is embedded and picked up when its records are built; they
 * are kept by the identity of the vector array the encoder returned, which is the array the
 * record is built from. One instance belongs to one processor (one stream thread).
 */
final class ImageTagging {

    private final ZeroShotTagger tagger;
    private final String annotationSink;
    /** The current batch's labels; at most one model batch of entries, replaced on every embed call. */
    private final Map<float[], List<ScoredLabel>> batchLabels = new IdentityHashMap<>();

    ImageTagging(ZeroShotTagger tagger, String annotationSink) {
        this.tagger = tagger;
        this.annotationSink = annotationSink;
    }

    /** Scores a freshly embedded batch (one matrix product) and remembers each vector's labels. */
    void scoreBatch(float[][] vectors) {
        batchLabels.clear();
        List<List<Tag>> tagged = tagger.tag(vectors);
        for (int i = 0; i < vectors.length; i++) {
            List<ScoredLabel> labels = new ArrayList<>(tagged.get(i).size());
            for (Tag tag : tagged.get(i)) {
                labels.add(new ScoredLabel(tag.label(), tag.score()));
            }
            batchLabels.put(vectors[i], labels);
        }
    }

    /** The labels scored for this vector of the current batch; empty if it was not scored. */
    List<ScoredLabel> labelsOf(float[] vector) {
        List<ScoredLabel> labels = batchLabels.remove(vector);
        return labels == null ? List.of() : labels;
    }

    String annotationSink() {
        return annotationSink;
    }

    /** The annotation of a labelled image, or null when it has no labels. */
    static ImageAnnotation annotation(VectorRecord record) {
        if (record.getLabels().isEmpty()) {
            return null;
        }
        return ImageAnnotation.newBuilder()
                .setId(record.getId())
                .setModelId(record.getModelId())
                .setLabels(record.getLabels())
                .setTenant(record.getTenant())
                .setCategory(record.getCategory())
                .setMetadata(record.getMetadata())
                .setAnnotatedAtMs(record.getEmbeddedAtMs())
                .build();
    }
}
