package io.clipstream.search;

import io.clipstream.schema.Target;

import java.util.Map;
import java.util.Optional;

/**
 * One search, from REST or the request topic: exactly one of text, image bytes, image URL or the
 * id of an indexed item, the modality to search, how many hits, exact-match filters and an
 * optional score floor. Built through {@link #validated}, so an instance is always sane.
 */
public record SearchQuery(Optional<String> text, Optional<byte[]> image, Optional<String> imageUrl, Optional<String> itemId,
                          Target target, int k, Map<String, String> filters, Optional<Float> minScore) {

    public SearchQuery {
        filters = Map.copyOf(filters);
    }

    public static SearchQuery validated(String text, byte[] image, String imageUrl, String itemId, Target target, Integer k,
                                        Map<String, String> filters, Float minScore, QueryLimits limits) {
        int given = (text != null ? 1 : 0) + (image != null ? 1 : 0) + (imageUrl != null ? 1 : 0) + (itemId != null ? 1 : 0);
        if (given != 1) {
            throw SearchException.badRequest("give exactly one of text, imageBase64 (image bytes), imageUrl or itemId; got " + given);
        }
        if (text != null && text.isBlank()) {
            throw SearchException.badRequest("text is empty; give a query with at least one word");
        }
        if (text != null && text.length() > limits.maxTextChars()) {
            throw SearchException.badRequest("text is " + text.length() + " characters, over the limit of "
                    + limits.maxTextChars() + " (search.max.text.chars)");
        }
        if (image != null && image.length == 0) {
            throw SearchException.badRequest("the image is empty");
        }
        if (itemId != null && itemId.isBlank()) {
            throw SearchException.badRequest("itemId is empty");
        }
        if (target == null) {
            throw SearchException.badRequest("target is missing; use IMAGE, TEXT or ANY");
        }
        int hits = k == null ? 10 : k;
        if (hits < 1 || hits > limits.maxK()) {
            throw SearchException.badRequest("k must be between 1 and " + limits.maxK() + " (search.max.k), got " + hits);
        }
        Map<String, String> safeFilters = filters == null ? Map.of() : filters;
        if (safeFilters.size() > limits.maxFilters()) {
            throw SearchException.badRequest(safeFilters.size() + " filters, over the limit of " + limits.maxFilters()
                    + " (search.max.filters)");
        }
        for (Map.Entry<String, String> filter : safeFilters.entrySet()) {
            if (filter.getKey() == null || filter.getKey().isBlank() || filter.getValue() == null) {
                throw SearchException.badRequest("filters must map non-empty keys to string values, got " + filter);
            }
        }
        if (minScore != null && (minScore.isNaN() || minScore < -1 || minScore > 1)) {
            throw SearchException.badRequest("minScore must be between -1 and 1, got " + minScore);
        }
        return new SearchQuery(Optional.ofNullable(text), Optional.ofNullable(image), Optional.ofNullable(imageUrl),
                Optional.ofNullable(itemId), target, hits, safeFilters, Optional.ofNullable(minScore));
    }

    public static Target parseTarget(String value) {
        if (value == null) {
            return Target.IMAGE;
        }
        try {
            return Target.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw SearchException.badRequest("target '" + value + "' is not one of IMAGE, TEXT, ANY");
        }
    }
}
