package io.clipstream.ingest;

import java.util.List;
import java.util.Locale;

/**
 * How an ingest ended: every file and caption line is in exactly one of indexed (came out on its
 * vector topic), skipped (not sent), dead-lettered, not sent (the broker refused it) or pending
 * (sent, no outcome before the timeout).
 */
public record IngestSummary(String folder, int sentImages, int sentCaptions, int indexedImages, int indexedCaptions,
                            List<SkippedInput> skipped, List<Rejected> deadLettered, List<Rejected> notSent,
                            List<ItemRef> pending, long timeoutSeconds) {

    /** Every sent item is indexed; skipped inputs and dead letters aside, nothing went wrong. */
    public static final int OK = 0;
    /** Some items are still pending at the timeout, or the broker refused some. */
    public static final int INCOMPLETE = 1;
    /** Every sent item has an outcome, but the service dead-lettered some. */
    public static final int DEAD_LETTERED = 3;

    public IngestSummary {
        skipped = List.copyOf(skipped);
        deadLettered = List.copyOf(deadLettered);
        notSent = List.copyOf(notSent);
        pending = List.copyOf(pending);
    }

    public int exitCode() {
        if (!pending.isEmpty() || !notSent.isEmpty()) {
            return INCOMPLETE;
        }
        return deadLettered.isEmpty() ? OK : DEAD_LETTERED;
    }

    /** The summary a person reads; every skipped input and rejected item is named with its reason. */
    public String render() {
        String nl = System.lineSeparator();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "ingest %s: sent %d images and %d captions%n", folder, sentImages, sentCaptions));
        out.append(String.format(Locale.ROOT, "  indexed        %d images, %d captions%n", indexedImages, indexedCaptions));
        out.append(String.format(Locale.ROOT, "  skipped        %d%n", skipped.size()));
        skipped.forEach(s -> out.append("    ").append(s.what()).append(": ").append(s.reason()).append(nl));
        out.append(String.format(Locale.ROOT, "  dead-lettered  %d%n", deadLettered.size()));
        deadLettered.forEach(r -> out.append("    ").append(r.item()).append(": ").append(r.code()).append(": ")
                .append(r.reason()).append(nl));
        if (!notSent.isEmpty()) {
            out.append(String.format(Locale.ROOT, "  not sent       %d%n", notSent.size()));
            notSent.forEach(r -> out.append("    ").append(r.item()).append(": ").append(r.reason()).append(nl));
        }
        out.append(String.format(Locale.ROOT, "  pending        %d", pending.size()));
        if (!pending.isEmpty()) {
            out.append(String.format(Locale.ROOT, " after the %d s timeout (is the embedder running? see its log, or "
                    + "raise --timeout)", timeoutSeconds));
        }
        out.append(nl);
        pending.forEach(p -> out.append("    ").append(p).append(nl));
        return out.toString();
    }
}
