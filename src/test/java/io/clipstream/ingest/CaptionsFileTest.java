package io.clipstream.ingest;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The captions file: good lines, every malformed line named by number, and captions tied to the scanned images. */
class CaptionsFileTest {

    @Test
    void readsImageTabCaptionLinesSkippingBlanksAndComments() {
        List<CaptionsFile.Line> lines = CaptionsFile.parse(List.of(
                "\uFEFF# image<TAB>caption",
                "owl.png\tAn owl at night",
                "",
                "   ",
                "animals/cat\t  a cat \t on a mat  ",
                "owl.png\tA bird of prey"), "captions.tsv");
        assertEquals(List.of(
                new CaptionsFile.Line(2, "owl.png", "An owl at night"),
                new CaptionsFile.Line(5, "animals/cat", "a cat \t on a mat"),
                new CaptionsFile.Line(6, "owl.png", "A bird of prey")), lines);
    }

    @Test
    void namesEveryMalformedLineByNumberAndSendsNothing() {
        IngestInputException e = assertThrows(IngestInputException.class, () -> CaptionsFile.parse(List.of(
                "owl.png\tfine",
                "owl.png no tab here",
                "\tno image",
                "owl.png\t   "), "c.tsv"));
        assertEquals(String.join(System.lineSeparator(),
                "captions file c.tsv has 3 problems (nothing was sent):",
                "  line 2: no tab; write image<TAB>caption",
                "  line 3: no image before the tab",
                "  line 4: the caption of owl.png is empty"), e.getMessage());
    }

    @Test
    void longListsOfProblemsAreCountedPastTheFirstTwenty() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            lines.add("bad line " + i);
        }
        IngestInputException e = assertThrows(IngestInputException.class, () -> CaptionsFile.parse(lines, "c.tsv"));
        assertTrue(e.getMessage().contains("line 20: no tab"), e.getMessage());
        assertTrue(!e.getMessage().contains("line 21:"), e.getMessage());
        assertTrue(e.getMessage().endsWith("... and 5 more"), e.getMessage());
    }

    @Test
    void captionsGetNumberedIdsAndTheirImageByFileOrIdAndSkippedImagesSkipTheirCaptions() {
        ImageFolder.Scan scan = new ImageFolder.Scan(Path.of("/data"),
                List.of(new ImageFile("animals/owl", "animals/owl.png", Path.of("/data/animals/owl.png"), 10),
                        new ImageFile("cat", "cat.jpg", Path.of("/data/cat.jpg"), 10)),
                List.of(new SkippedInput("notes.txt", "not an image: plain text")));
        IngestPlan plan = IngestPlan.of(scan, List.of(
                new CaptionsFile.Line(1, "animals/owl.png", "an owl"),
                new CaptionsFile.Line(2, "cat", "a cat"),
                new CaptionsFile.Line(3, "animals/owl", "a bird"),
                new CaptionsFile.Line(4, "notes.txt", "not a picture")), "c.tsv");
        assertEquals(List.of(
                new IngestPlan.Caption("animals/owl#1", "animals/owl", "an owl", 1),
                new IngestPlan.Caption("cat#1", "cat", "a cat", 2),
                new IngestPlan.Caption("animals/owl#2", "animals/owl", "a bird", 3)), plan.captions());
        assertEquals(List.of(new SkippedInput("notes.txt", "not an image: plain text"),
                new SkippedInput("captions line 4", "its image notes.txt is skipped")), plan.skipped());
        assertEquals(5, plan.items());
    }

    @Test
    void aCaptionOfAnImageNotInTheFolderIsAnErrorWithItsLine() {
        ImageFolder.Scan scan = new ImageFolder.Scan(Path.of("/data"),
                List.of(new ImageFile("cat", "cat.jpg", Path.of("/data/cat.jpg"), 10)), List.of());
        IngestInputException e = assertThrows(IngestInputException.class, () -> IngestPlan.of(scan, List.of(
                new CaptionsFile.Line(7, "dog.jpg", "a dog")), "c.tsv"));
        assertTrue(e.getMessage().contains("line 7: no image 'dog.jpg' under /data"), e.getMessage());
    }
}
