package io.clipstream.topology;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * search.reply.topics.allowed: the topics besides {@code search.responses} that a search request
 * may name as its reply topic, as exact names and prefixes ending in '*' (such as
 * {@code search.responses.*}; '*' alone: any topic). Empty by default: every answer goes to
 * {@code search.responses}. The service's own topics stay refused whatever is listed.
 */
public record ReplyTopicSettings(Set<String> exact, List<String> prefixes) {

    public static final String KEY = "search.reply.topics.allowed";
    public static final ReplyTopicSettings NONE = new ReplyTopicSettings(Set.of(), List.of());

    public ReplyTopicSettings {
        exact = Set.copyOf(exact);
        prefixes = List.copyOf(prefixes);
    }

    /** Comma-separated names and prefixes; each must be (the start of) a legal topic name. */
    public static ReplyTopicSettings parse(String value) {
        Set<String> exact = new LinkedHashSet<>();
        List<String> prefixes = new ArrayList<>();
        for (String part : value.split(",")) {
            String entry = part.trim();
            if (entry.isEmpty()) {
                continue;
            }
            boolean prefix = entry.endsWith("*");
            String name = prefix ? entry.substring(0, entry.length() - 1) : entry;
            // "*" alone allows every topic but the service's own.
            boolean legal = prefix ? name.isEmpty() || ReplyTopicPolicy.legalCharacters(name) : ReplyTopicPolicy.legal(name);
            if (!legal) {
                throw new IllegalArgumentException(KEY + ": '" + entry + "' is not a topic name or a prefix ending in '*' "
                        + "(topic names are 1-249 of a-z A-Z 0-9 . _ -)");
            }
            if (prefix) {
                prefixes.add(name);
            } else {
                exact.add(name);
            }
        }
        return new ReplyTopicSettings(exact, prefixes);
    }

    boolean allows(String topic) {
        return exact.contains(topic) || prefixes.stream().anyMatch(topic::startsWith);
    }
}
