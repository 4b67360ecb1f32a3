package io.clipstream.index;

import io.clipstream.schema.Modality;
import io.clipstream.schema.ScoredLabel;
import io.clipstream.schema.VectorRecord;
import io.clipstream.common.Tag;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One decoded vector record, reduced to what the index serves.
 *
 * @param id               the item id (must equal the record's Kafka key)
 * @param modality         image or text
 * @param vector           the L2-normalised embedding; the index copies it, so the caller may reuse the array
 * @param filterableFields what exact-match filters see: {@code tenant}, {@code category} and every metadata entry
 * @param metadata         the record's metadata, returned with each hit
 * @param text             the caption for text vectors, else null
 * @param labels           the image's zero-shot labels, best first (empty when tagging is off)
 */
public record IndexedVector(String id, Modality modality, float[] vector, Map<String, String> filterableFields,
                            Map<String, String> metadata, String text, List<Tag> labels) {

    /** The filterable field holding {@link VectorRecord#getTenant()}. */
    public static final String TENANT_FIELD = "tenant";
    /** The filterable field holding {@link VectorRecord#getCategory()}. */
    public static final String CATEGORY_FIELD = "category";

    public IndexedVector {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(modality, "modality");
        Objects.requireNonNull(vector, "vector");
        filterableFields = Map.copyOf(filterableFields);
        metadata = Map.copyOf(metadata);
        labels = List.copyOf(labels);
    }

    public IndexedVector(String id, Modality modality, float[] vector, Map<String, String> filterableFields,
                         Map<String, String> metadata, String text) {
        this(id, modality, vector, filterableFields, metadata, text, List.of());
    }

    /**
     * The index's view of a vector record. Metadata entries become filterable fields; the record's own tenant and
     * category win over metadata entries of the same name, because they are the fields producers set on purpose.
     * Each zero-shot label becomes a field of its own, so that a {@code label} filter can match any of them.
     */
    public static IndexedVector from(VectorRecord record) {
        List<Tag> labels = new ArrayList<>(record.getLabels().size());
        for (ScoredLabel label : record.getLabels()) {
            labels.add(new Tag(label.getLabel(), label.getScore()));
        }
        return of(record.getId(), record.getModality(), toArray(record.getVector()), record.getTenant(),
                record.getCategory(), record.getMetadata(), record.getText(), labels);
    }

    /**
     * The same view from a vector record's fields, for readers that decode the record's bytes without building a
     * {@link VectorRecord}; {@code vector} is kept, not copied.
     */
    public static IndexedVector of(String id, Modality modality, float[] vector, String tenant, String category,
                                   Map<String, String> metadata, String text, List<Tag> labels) {
        Map<String, String> stored = metadata == null ? Map.of() : metadata;
        Map<String, String> fields = new LinkedHashMap<>(stored);
        if (tenant != null) {
            fields.put(TENANT_FIELD, tenant);
        }
        if (category != null) {
            fields.put(CATEGORY_FIELD, category);
        }
        for (Tag label : labels) {
            fields.put(FieldFilter.labelField(label.label()), label.label());
        }
        return new IndexedVector(id, modality, vector, fields, stored, text, labels);
    }

    private static float[] toArray(List<Float> values) {
        float[] array = new float[values.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = values.get(i);
        }
        return array;
    }
}
