package io.clipstream.watchlist;

import io.clipstream.schema.WatchConcept;

/** What is wrong with a watchlist concept, if anything: each problem with a code for the dead-letter headers. */
public record ConceptCheck(String code, String reason) {

    /** The first problem of {@code concept} published under {@code key}, or null if it can be embedded. */
    public static ConceptCheck problem(String key, WatchConcept concept) {
        if (!key.equals(concept.getId())) {
            return new ConceptCheck("KEY_MISMATCH", "concept id '" + concept.getId() + "' differs from its key '" + key
                    + "'; the key must be the concept id");
        }
        if (concept.getLabel() == null || concept.getLabel().isBlank()) {
            return new ConceptCheck("NO_LABEL", key + ": the concept has no label; give the name alerts should carry");
        }
        float threshold = concept.getThreshold();
        if (!Float.isFinite(threshold) || threshold < -1f || threshold > 1f) {
            return new ConceptCheck("BAD_THRESHOLD", key + ": threshold " + threshold
                    + " is not a cosine similarity; give a number from -1 to 1");
        }
        boolean hasPrompt = concept.getPrompt() != null;
        boolean hasImage = concept.getImage() != null;
        if (hasPrompt == hasImage) {
            return new ConceptCheck("NO_EXAMPLE", key + ": the concept has " + (hasPrompt ? "both a prompt and an image" : "neither a prompt nor an image")
                    + "; set exactly one");
        }
        if (hasPrompt && concept.getPrompt().isBlank()) {
            return new ConceptCheck("NO_EXAMPLE", key + ": the concept's prompt is blank; give a text prompt or an example image");
        }
        if (hasImage && !concept.getImage().hasRemaining()) {
            return new ConceptCheck("NO_EXAMPLE", key + ": the concept's example image is empty");
        }
        return null;
    }
}
