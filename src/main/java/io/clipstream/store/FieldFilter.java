package io.clipstream.store;

import java.util.Map;

/**
 * Exact-match filters over an item's filterable fields: an item matches when every required field is present with
 * exactly the required value. A named type rather than a bare predicate so that an ANN index can look at the required
 * values (for example to pre-filter through an inverted list) instead of testing every candidate.
 *
 * @param required field name to required value; empty matches everything
 */
public record FieldFilter(Map<String, String> required) {

    public static final FieldFilter NONE = new FieldFilter(Map.of());

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
            if (!entry.getValue().equals(fields.get(entry.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
