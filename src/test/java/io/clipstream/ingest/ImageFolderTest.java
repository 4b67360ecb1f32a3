package io.clipstream.ingest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which files of a folder are sent, under which id and in which order, and why the others are not. */
class ImageFolderTest {

    static final Path FIXTURES = Path.of("src", "test", "resources", "fixtures", "model-parity", "images");

    @TempDir
    Path dir;

    @Test
    void walksRecursivelyInSortedOrderWithPathIdsAndSaysWhyEachFileIsSkipped() throws IOException {
        copy("01.png", "zebra.png");
        copy("05.jpg", "animals/birds/owl.jpg");
        copy("09.gif", "animals/cat.gif");
        byte[] png = Files.readAllBytes(FIXTURES.resolve("01.png"));
        write("noext", png);                                        // no extension, PNG bytes: sent
        write("truncated.png", java.util.Arrays.copyOf(png, 40));   // PNG name and magic, damaged: sent, for the embedder to judge
        write("fake.jpg", "hello".getBytes(StandardCharsets.UTF_8)); // image extension, text inside: sent (dead-lettered later)
        write("notes.txt", "some notes\n".getBytes(StandardCharsets.UTF_8));
        write("doc.pdf", "%PDF-1.4 ...".getBytes(StandardCharsets.US_ASCII));
        write("empty.png", new byte[0]);
        write("animals/cat.png", png);                               // same id as animals/cat.gif

        ImageFolder.Scan scan = ImageFolder.scan(dir, 1 << 20);

        assertEquals(List.of("animals/birds/owl", "animals/cat", "fake", "noext", "truncated", "zebra"),
                scan.images().stream().map(ImageFile::id).toList());
        assertEquals(List.of("animals/birds/owl.jpg", "animals/cat.gif", "fake.jpg", "noext", "truncated.png", "zebra.png"),
                scan.images().stream().map(ImageFile::relative).toList());
        assertEquals(png.length, scan.images().get(3).size());

        Map<String, String> skipped = scan.skipped().stream().collect(Collectors.toMap(SkippedInput::what, SkippedInput::reason));
        assertEquals(List.of("animals/cat.png", "doc.pdf", "empty.png", "notes.txt"),
                scan.skipped().stream().map(SkippedInput::what).toList(), "sorted like the images");
        assertTrue(skipped.get("notes.txt").startsWith("not an image: plain text"), skipped.get("notes.txt"));
        assertTrue(skipped.get("doc.pdf").startsWith("not an image: a PDF document"), skipped.get("doc.pdf"));
        assertEquals("empty file", skipped.get("empty.png"));
        assertTrue(skipped.get("animals/cat.png").contains("'animals/cat' is already that of animals/cat.gif"),
                skipped.get("animals/cat.png"));
    }

    @Test
    void filesOverTheEmbeddersLimitAreSkippedWithTheSettingToRaise() throws IOException {
        copy("01.png", "big.png");
        long size = Files.size(dir.resolve("big.png"));

        ImageFolder.Scan scan = ImageFolder.scan(dir, size - 1);

        assertEquals(List.of(), scan.images());
        assertEquals(1, scan.skipped().size());
        assertEquals("big.png", scan.skipped().get(0).what());
        assertTrue(scan.skipped().get(0).reason().startsWith(size + " bytes, over image.max.bytes = " + (size - 1)),
                scan.skipped().get(0).reason());
        assertEquals(1, ImageFolder.scan(dir, size).images().size(), "exactly the limit is taken");
    }

    @Test
    void aMissingFolderIsAnInputError() {
        IngestInputException e = assertThrows(IngestInputException.class, () -> ImageFolder.scan(dir.resolve("nope"), 1000));
        assertTrue(e.getMessage().contains("is not a folder"), e.getMessage());
    }

    @Test
    void idsDropOnlyTheLastExtensionOfTheFileName() {
        assertEquals("a/b.c/d", ImageFolder.idOf("a/b.c/d"));
        assertEquals("a/photo.final", ImageFolder.idOf("a/photo.final.png"));
        assertEquals(".hidden", ImageFolder.idOf(".hidden"));
    }

    private void copy(String fixture, String target) throws IOException {
        Path to = dir.resolve(target);
        Files.createDirectories(to.getParent());
        Files.copy(FIXTURES.resolve(fixture), to);
    }

    private void write(String target, byte[] bytes) throws IOException {
        Path to = dir.resolve(target);
        Files.createDirectories(to.getParent());
        Files.write(to, bytes);
    }
}
