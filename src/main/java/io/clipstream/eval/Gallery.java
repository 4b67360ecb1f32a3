package io.clipstream.eval;

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
 */
public final class Gallery {

    public static final Set<String> RASTER = Set.of("png", "jpg", "jpeg", "gif", "bmp", "webp");
    public static final String SVG = "svg";

    private Gallery() {
    }

    public static List<GalleryImage> scan(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("--images " + root + " is not a folder of images");
        }
        Map<String, GalleryImage> byId = new HashMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(Files::isRegularFile).filter(f -> isImage(f)).forEach(file -> {
                GalleryImage image = new GalleryImage(idOf(root, file), file);
                GalleryImage clash = byId.putIfAbsent(image.id(), image);
                if (clash != null) {
                    throw new IllegalArgumentException("two gallery files have the id '" + image.id() + "': " + clash.file()
                            + " and " + file + "; keep one of them");
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return byId.values().stream().sorted(Comparator.comparing(GalleryImage::id)).toList();
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

    private static boolean isImage(Path file) {
        String extension = extension(file);
        return RASTER.contains(extension) || SVG.equals(extension);
    }
}
