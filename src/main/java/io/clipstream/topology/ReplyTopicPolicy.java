package io.clipstream.topology;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a search request may have its answer written: {@code search.responses}, or a topic
 * search.reply.topics.allowed lists, and never a topic clipstream itself reads or writes (its
 * inputs, vectors, thumbnails, watchlists, alerts, annotations, backfill, dead letters, the
 * requests), nor an internal topic (Kafka's {@code __*}, the registry's {@code _schemas}, Kafka
 * Streams' {@code *-changelog}, {@code *-repartition} and anything under the applications' ids).
 * A client can neither stop answers for everyone nor write into the service's own topics.
 */
public final class ReplyTopicPolicy {

    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    private static final Pattern LEGAL_CHARACTERS = Pattern.compile("[a-zA-Z0-9._-]+");
    private static final int SHOWN_CHARACTERS = 80;

    private final String defaultTopic;
    private final Map<String, String> own = new LinkedHashMap<>();
    private final String applicationPrefix;
    private final ReplyTopicSettings allowed;

    /**
     * @param applicationIdPrefix app.id: the applications' ids, and so their internal topics, start with it and '-'
     * @throws IllegalArgumentException when the allowlist names one of the service's own topics
     */
    public ReplyTopicPolicy(Topics topics, String applicationIdPrefix, ReplyTopicSettings allowed) {
        this.defaultTopic = topics.searchResponses();
        this.applicationPrefix = applicationIdPrefix + "-";
        this.allowed = allowed;
        own.put(topics.images(), "the image input topic (topics.images)");
        own.put(topics.captions(), "the caption input topic (topics.captions)");
        own.put(topics.imageVectors(), "the image vector topic (topics.vectors.image)");
        own.put(topics.textVectors(), "the text vector topic (topics.vectors.text)");
        own.put(topics.deadLetters(), "the dead-letter topic (topics.dlq)");
        own.put(topics.searchRequests(), "the search request topic (topics.search.requests)");
        own.put(topics.thumbnails(), "the thumbnail topic (topics.thumbnails)");
        own.put(topics.watchlists(), "the watchlist topic (topics.watchlists)");
        own.put(topics.alerts(), "the alert topic (topics.alerts)");
        own.put(topics.annotations(), "the annotation topic (topics.annotations)");
        own.put(topics.watchlistVectors(), "the concept vector topic (topics.watchlists.vectors)");
        own.put(topics.watchlistBackfill(), "the backfill topic (topics.watchlists.backfill)");
        for (String name : allowed.exact()) {
            reserved(name).ifPresent(what -> {
                throw new IllegalArgumentException(ReplyTopicSettings.KEY + " lists '" + name + "', which is " + what
                        + "; reply topics must be topics clipstream does not use itself");
            });
        }
    }

    /** The answer for one request's reply topic: where to write, or why not. */
    public sealed interface Decision permits Allowed, Refused {
        String topic();
    }

    /** Write the answer to {@code topic}. */
    public record Allowed(String topic) implements Decision {
    }

    /** Answer on the default topic with {@code reason} instead. */
    public record Refused(String topic, String reason) implements Decision {
    }

    public String defaultTopic() {
        return defaultTopic;
    }

    public Decision decide(String wanted) {
        if (wanted == null || wanted.isEmpty() || wanted.equals(defaultTopic)) {
            return new Allowed(defaultTopic);
        }
        String shown = shown(wanted);
        if (!legal(wanted)) {
            return new Refused(defaultTopic, "reply topic " + shown + " is not a legal Kafka topic name (1 to 249 of "
                    + "a-z A-Z 0-9 . _ -, not '.' or '..'); " + fix());
        }
        Optional<String> reserved = reserved(wanted);
        if (reserved.isPresent()) {
            return new Refused(defaultTopic, "reply topic " + shown + " is " + reserved.get()
                    + ", which search answers may never be written to; " + fix());
        }
        if (!allowed.allows(wanted)) {
            return new Refused(defaultTopic, "reply topic " + shown + " is not allowed; " + fix());
        }
        return new Allowed(wanted);
    }

    private Optional<String> reserved(String topic) {
        if (own.containsKey(topic)) {
            return Optional.of(own.get(topic));
        }
        if (topic.startsWith("_")) {
            return Optional.of("an internal topic (Kafka's __* topics, the schema registry's _schemas)");
        }
        if (topic.startsWith(applicationPrefix) || topic.endsWith("-changelog") || topic.endsWith("-repartition")) {
            return Optional.of("an internal topic of a Kafka Streams application");
        }
        return Optional.empty();
    }

    private String fix() {
        return "the answer is here on " + defaultTopic + "; to receive answers on another topic, add it to "
                + ReplyTopicSettings.KEY + " (names, or prefixes ending in '*')";
    }

    static boolean legal(String name) {
        return LEGAL.matcher(name).matches() && !name.equals(".") && !name.equals("..");
    }

    static boolean legalCharacters(String name) {
        return LEGAL_CHARACTERS.matcher(name).matches();
    }

    /** The name as an error message shows it: quoted, control characters escaped, a long one cut. */
    static String shown(String name) {
        StringBuilder out = new StringBuilder("'");
        name.codePoints().limit(SHOWN_CHARACTERS).forEach(c -> {
            if (c < 0x20 || c == 0x7F || c == '\'' || c == '\\') {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        out.append('\'');
        int length = name.codePointCount(0, name.length());
        if (length > SHOWN_CHARACTERS) {
            out.insert(out.length() - 1, "...").append(" (").append(length).append(" characters)");
        }
        return out.toString();
    }
}
