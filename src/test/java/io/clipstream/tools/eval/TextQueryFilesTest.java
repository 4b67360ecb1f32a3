package io.clipstream.tools.eval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextQueryFilesTest {

    @TempDir
    Path dir;

    @Test
    void captionsSkipCommentsAndMergeACaptionSharedByImages() throws IOException {
        Path file = Files.writeString(dir.resolve("captions.tsv"), """
                # a comment
                animals/owl\tan owl on a branch

                cards/c8\ta playing card
                cards/d2\ta playing card
                animals/owl\ta brown owl
                """);
        List<TextQuery> captions = TextQueryFiles.readCaptions(file);
        assertEquals(3, captions.size());
        assertEquals(new TextQuery("an owl on a branch", Set.of("animals/owl"), file + ":2"), captions.get(0));
        assertEquals(Set.of("cards/c8", "cards/d2"), captions.get(1).relevantIds());
        assertEquals(file + ":4", captions.get(1).source());
        assertEquals("a brown owl", captions.get(2).text());
    }

    @Test
    void queriesTakeCommaSeparatedIds() throws IOException {
        Path file = Files.writeString(dir.resolve("queries.tsv"), "# query\tids\na yellow curved fruit\tfood/banana, food/bananas\n");
        List<TextQuery> queries = TextQueryFiles.readQueries(file);
        assertEquals(List.of(new TextQuery("a yellow curved fruit", Set.of("food/banana", "food/bananas"), file + ":2")), queries);
    }

    @Test
    void aLineWithoutATabIsRefusedWithItsPlace() throws IOException {
        Path file = Files.writeString(dir.resolve("bad.tsv"), "owl\tan owl\nno tab here\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TextQueryFiles.readCaptions(file));
        assertTrue(e.getMessage().contains(file + ":2"), e.getMessage());
        Path noIds = Files.writeString(dir.resolve("noids.tsv"), "an owl\t , \n");
        assertThrows(IllegalArgumentException.class, () -> TextQueryFiles.readQueries(noIds));
    }

    @Test
    void galleryIdsArePathsWithoutExtensionInIdOrder() throws IOException {
        Files.createDirectories(dir.resolve("g/animals/birds"));
        Files.write(dir.resolve("g/animals/birds/owl.png"), new byte[]{1});
        Files.write(dir.resolve("g/cat.jpg"), new byte[]{1});
        Files.write(dir.resolve("g/notes.txt"), new byte[]{1});
        List<GalleryImage> gallery = Gallery.scan(dir.resolve("g"));
        assertEquals(List.of("animals/birds/owl", "cat"), gallery.stream().map(GalleryImage::id).toList());
        Files.write(dir.resolve("g/cat.png"), new byte[]{1});
        assertThrows(IllegalArgumentException.class, () -> Gallery.scan(dir.resolve("g")), "cat.jpg and cat.png share an id");
    }
}
