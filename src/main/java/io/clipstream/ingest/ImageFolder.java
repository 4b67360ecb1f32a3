package io.clipstream.ingest;

import io.clipstream.encoders.image.ImageFormat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The files under a folder, walked recursively in sorted order of their relative paths, each either
 * an {@link ImageFile} to send or a {@link SkippedInput} with its reason.
 *
 * <p>A file is sent when its first bytes are those of a format the embedder decodes, or when its
 * extension says it is one (a damaged .png is sent so that the embedder's dead letter says exactly
 * what is wrong with it). It is skipped when it is empty, larger than {@code image.max.bytes} (the
 * embedder would refuse it), neither by extension nor by content an image, not a regular file, or
 * when its id is already taken by an earlier file ({@code a.png} and {@code a.jpg}). Symbolic
 * links to files are followed; links to folders are not walked, so a loop cannot trap the walk.
 */
public final class ImageFolder {

    /** Extensions of the formats the embedder decodes. */
    public static final Set<String> IMAGE_EXTENSIONS = Set.of("png", "jpg", "jpeg", "gif", "bmp", "webp");

    /** Enough for {@link ImageFormat#sniff} and for {@link ImageFormat#describeUnsupported}'s look at text. */
    private static final int HEAD_BYTES = 512;

    /** What a scan found. */
    public record Scan(Path root, List<ImageFile> images, List<SkippedInput> skipped) {
        public Scan {
            images = List.copyOf(images);
            skipped = List.copyOf(skipped);
        }
    }

    private ImageFolder() {
    }

    /** @param maxBytes the embedder's {@code image.max.bytes}: larger files are skipped rather than sent to be refused */
    public static Scan scan(Path root, long maxBytes) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IngestInputException("--images " + root + " is not a folder; give the folder that holds the images");
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(path -> !Files.isDirectory(path))
                    .sorted(Comparator.comparing(path -> relative(root, path)))
                    .toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        List<ImageFile> images = new ArrayList<>();
        List<SkippedInput> skipped = new ArrayList<>();
        Map<String, String> idOwners = new HashMap<>();
        for (Path file : files) {
            String relative = relative(root, file);
            String reason = skipReason(file, maxBytes);
            if (reason != null) {
                skipped.add(new SkippedInput(relative, reason));
                continue;
            }
            String id = idOf(relative);
            String owner = idOwners.putIfAbsent(id, relative);
            if (owner != null) {
                skipped.add(new SkippedInput(relative, "its id '" + id + "' is already that of " + owner
                        + "; rename one of them to ingest both"));
                continue;
            }
            images.add(new ImageFile(id, relative, file, Files.size(file)));
        }
        return new Scan(root, images, skipped);
    }

    /** Why {@code file} is not sent, or null when it is. */
    static String skipReason(Path file, long maxBytes) {
        if (!Files.isRegularFile(file)) {
            return "not a regular file (a broken link, a socket or a device)";
        }
        try {
            long size = Files.size(file);
            if (size == 0) {
                return "empty file";
            }
            byte[] head;
            try (InputStream in = Files.newInputStream(file)) {
                head = in.readNBytes(HEAD_BYTES);
            }
            boolean imageBytes = ImageFormat.sniff(head).isPresent();
            if (!imageBytes && !IMAGE_EXTENSIONS.contains(extension(relativeName(file)))) {
                return "not an image: " + ImageFormat.describeUnsupported(head) + " (the embedder takes "
                        + ImageFormat.SUPPORTED + ")";
            }
            if (size > maxBytes) {
                return size + " bytes, over image.max.bytes = " + maxBytes
                        + " (the embedder would refuse it; raise image.max.bytes on the service and here to take it)";
            }
            return null;
        } catch (IOException e) {
            return "cannot be read: " + e.getMessage();
        }
    }

    /** The relative path without its extension ({@code animals/owl} for {@code animals/owl.png}). */
    static String idOf(String relative) {
        int dot = relative.lastIndexOf('.');
        return dot > relative.lastIndexOf('/') + 1 ? relative.substring(0, dot) : relative;
    }

    static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static String relativeName(Path file) {
        return file.getFileName().toString();
    }

    static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }
}
