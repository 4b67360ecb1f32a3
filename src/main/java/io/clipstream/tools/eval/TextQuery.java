package io.clipstream.tools.eval;

import java.util.Set;

/**
 * A text and the ids of the gallery images that answer it.
 *
 * @param source where it came from ({@code file:line}), for error messages
 */
public record TextQuery(String text, Set<String> relevantIds, String source) {

    public TextQuery {
        if (text.isBlank()) {
            throw new IllegalArgumentException(source + ": the text is empty");
        }
        if (relevantIds.isEmpty()) {
            throw new IllegalArgumentException(source + ": no image id is given for '" + text + "'");
        }
        relevantIds = Set.copyOf(relevantIds);
    }
}
