package io.clipstream.tools.eval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A drawing shipped both as SVG and as its raster export is one gallery image; the preference picks its file. */
class GalleryTest {

    @TempDir
    Path dir;

    @Test
    void anSvgAndItsRasterExportAreOneImageAndThePreferredFileStandsForIt() throws IOException {
        Files.createDirectories(dir.resolve("animals"));
        Files.write(dir.resolve("animals/frog.svg"), new byte[]{1});
        Files.write(dir.resolve("animals/frog.png"), new byte[]{1});
        Files.write(dir.resolve("animals/owl.svg"), new byte[]{1});
        Files.write(dir.resolve("cat.jpg"), new byte[]{1});
        Files.write(dir.resolve("cat.svg"), new byte[]{1});

        List<GalleryImage> png = Gallery.scan(dir, Gallery.Prefer.PNG);
        assertEquals(List.of("animals/frog", "animals/owl", "cat"), png.stream().map(GalleryImage::id).toList());
        assertEquals(List.of("frog.png", "owl.svg", "cat.jpg"), names(png), "the raster file where there is one");
        assertEquals(1, Gallery.svgCount(png));

        List<GalleryImage> svg = Gallery.scan(dir, Gallery.Prefer.SVG);
        assertEquals(List.of("frog.svg", "owl.svg", "cat.svg"), names(svg));
        assertEquals(3, Gallery.svgCount(svg));

        assertEquals(png, Gallery.scan(dir), "raster files are preferred unless asked otherwise");
    }

    @Test
    void twoRasterFilesWithOneIdAreNoKnownPairAndStopTheScanNamingBoth() throws IOException {
        Files.write(dir.resolve("cat.svg"), new byte[]{1});
        Files.write(dir.resolve("cat.png"), new byte[]{1});
        Files.write(dir.resolve("cat.gif"), new byte[]{1});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Gallery.scan(dir, Gallery.Prefer.SVG));
        assertTrue(e.getMessage().contains("cat.gif") && e.getMessage().contains("cat.png"), e.getMessage());
    }

    private static List<String> names(List<GalleryImage> gallery) {
        return gallery.stream().map(image -> image.file().getFileName().toString()).toList();
    }
}
