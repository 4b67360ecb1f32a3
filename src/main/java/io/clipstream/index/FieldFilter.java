package io.clipstream.index;

import java.util.Map;

/**
 * Exact-match filters over an item's filterable fields: an item matches when every required field is present with
 * exactly the required value. The key {@value #LABEL} also matches when its value is among the item's zero-shot
 * labels, which {@link IndexedVector} keeps as one filterable field per label ({@link #labelField}). A named type rather than a bare predicate so that an ANN index can look at the required
 * values (for example to pre-filter through an inverted list) instead of testing every candidate.
 *
 * @param required field name to required value; empty matches everything
 */
public record FieldFilter(Map<String, String> required) {

    public static final FieldFilter NONE = new FieldFilter(Map.of());

    /** The filter key that matches an item's zero-shot labels (or a metadata entry of that name). */
    public static final String LABEL = "label";
    /** Prefix of the per-label fields; starts with a control character so no producer's metadata key collides. */
    private static final String LABEL_FIELD_PREFIX = "\u0000label:";

    public FieldFilter {
        required = Map.copyOf(required);
    }

    public static FieldFilter of(Map<String, String> required) {
        return required.isEmpty() ? NONE : new FieldFilter(required);
    }

    public boolean isEmpty() {
        return required.isEmpty();
    }

    public boolean matches(Map<String, String> fields) {
        for (Map.Entry<String, String> entry : required.entrySet()) {
            if (!entry.getValue().equals(fields.get(entry.getKey()))
                    && !(LABEL.equals(entry.getKey()) && fields.containsKey(labelField(entry.getValue())))) {
                return false;
            }
        }
        return true;
    }

    /** The filterable field that says an item carries {@code label}. */
    public static String labelField(String label) {
        return LABEL_FIELD_PREFIX + label;
    }
}
