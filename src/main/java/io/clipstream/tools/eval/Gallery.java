package io.clipstream.tools.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The images under a folder, sorted by id so that every run sees them in the same order. An id is
 * the path relative to the folder, with '/' separators and without the extension
 * ({@code animals/birds/owl} for {@code DIR/animals/birds/owl.png}).
 *
 * <p>Clip-art collections often ship a drawing twice, as {@code x.svg} and as its raster export
 * {@code x.png} (Tux Paint's stamps do). Such a pair is one image: {@link Prefer} says which file
 * stands for it. Two raster files with one id ({@code x.png} and {@code x.jpg}) are not a known
 * pair and stop the scan, naming both.
 */
public final class Gallery {

    public static final Set<String> RASTER = Set.of("png", "jpg", "jpeg", "gif", "bmp", "webp");
    public static final String SVG = "svg";

    /** Which file of an SVG and a raster file sharing an id is used. */
    public enum Prefer {
        /** the SVG, rendered with rsvg-convert */
        SVG,
        /** the raster file (PNG, JPEG, GIF, BMP or WebP), read directly: no renderer needed */
        PNG;

        boolean keeps(Path file) {
            return isSvg(file) == (this == SVG);
        }
    }

    private Gallery() {
    }

    /** The gallery with raster files preferred over SVGs of the same id. */
    public static List<GalleryImage> scan(Path root) throws IOException {
        return scan(root, Prefer.PNG);
    }

    public static List<GalleryImage> scan(Path root, Prefer prefer) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("--images " + root + " is not a folder. Give the folder that holds the images "
                    + "(searched recursively)");
        }
        Map<String, GalleryImage> byId = new HashMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(Files::isRegularFile).filter(Gallery::isImage).sorted().forEach(file -> {
                GalleryImage image = new GalleryImage(idOf(root, file), file);
                GalleryImage clash = byId.putIfAbsent(image.id(), image);
                if (clash == null) {
                    return;
                }
                if (isSvg(clash.file()) == isSvg(file)) {
                    throw new IllegalArgumentException("two gallery files have the id '" + image.id() + "': " + clash.file()
                            + " and " + file + "; keep one of them");
                }
                if (prefer.keeps(file)) {
                    byId.put(image.id(), image);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return byId.values().stream().sorted(Comparator.comparing(GalleryImage::id)).toList();
    }

    /** How many of the gallery's images are SVGs (and so need the renderer). */
    public static long svgCount(List<GalleryImage> gallery) {
        return gallery.stream().filter(image -> isSvg(image.file())).count();
    }

    static String idOf(Path root, Path file) {
        String relative = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
        int dot = relative.lastIndexOf('.');
        return dot > relative.lastIndexOf('/') ? relative.substring(0, dot) : relative;
    }

    static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    static boolean isSvg(Path file) {
        return SVG.equals(extension(file));
    }

    private static boolean isImage(Path file) {
        String extension = extension(file);
        return RASTER.contains(extension) || SVG.equals(extension);
    }
}
