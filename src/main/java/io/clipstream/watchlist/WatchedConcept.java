package io.clipstream.watchlist;

import java.util.Objects;

/**
 * An embedded, active concept as the scorer holds it.
 *
 * @param tenant when not null, only images of this tenant match
 * @param vector L2-normalised, of the model's dimension (not copied: treat as read-only)
 */
public record WatchedConcept(String id, String label, float threshold, String tenant, float[] vector) {

    public WatchedConcept {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(vector, "vector");
    }

    /** Whether an image of {@code imageTenant} may match this concept. */
    public boolean appliesTo(String imageTenant) {
        return tenant == null || tenant.equals(imageTenant);
    }
}
