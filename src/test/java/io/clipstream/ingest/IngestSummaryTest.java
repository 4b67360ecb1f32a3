package io.clipstream.ingest;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The summary names every input that did not become a vector, and the exit status says how the run ended. */
class IngestSummaryTest {

    private static final ItemRef BROKEN = new ItemRef(ItemKind.IMAGE, "broken");

    @Test
    void listsEveryOutcomeWithItsReason() {
        IngestSummary summary = new IngestSummary("photos", 4, 2, 3, 2,
                List.of(new SkippedInput("notes.txt", "not an image: plain text")),
                List.of(new Rejected(BROKEN, "IMAGE_UNDECODABLE", "truncated PNG")), List.of(), List.of(), 600);
        assertEquals(String.join(System.lineSeparator(),
                "ingest photos: sent 4 images and 2 captions",
                "  indexed        3 images, 2 captions",
                "  skipped        1",
                "    notes.txt: not an image: plain text",
                "  dead-lettered  1",
                "    image broken: IMAGE_UNDECODABLE: truncated PNG",
                "  pending        0",
                ""), summary.render());
        assertEquals(IngestSummary.DEAD_LETTERED, summary.exitCode());
    }

    @Test
    void pendingItemsAndBrokerRefusalsMakeTheRunIncomplete() {
        IngestSummary pending = new IngestSummary("p", 1, 0, 0, 0, List.of(), List.of(), List.of(), List.of(BROKEN), 5);
        assertEquals(IngestSummary.INCOMPLETE, pending.exitCode());
        assertEquals(String.join(System.lineSeparator(),
                "  pending        1 after the 5 s timeout (is the embedder running? see its log, or raise --timeout)",
                "    image broken", ""), pending.render().substring(pending.render().indexOf("  pending")));
        IngestSummary refused = new IngestSummary("p", 1, 0, 0, 0, List.of(), List.of(),
                List.of(new Rejected(BROKEN, "SEND_FAILED", "too large")), List.of(), 5);
        assertEquals(IngestSummary.INCOMPLETE, refused.exitCode());
        assertEquals(IngestSummary.OK, new IngestSummary("p", 1, 0, 1, 0, List.of(new SkippedInput("a", "b")), List.of(),
                List.of(), List.of(), 5).exitCode(), "skipped files alone do not fail the run");
    }
}
