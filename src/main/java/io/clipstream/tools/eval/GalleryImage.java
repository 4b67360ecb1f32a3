package io.clipstream.tools.eval;

import java.nio.file.Path;

/** An image of the evaluation gallery: its id (path under the gallery without the extension) and file. */
public record GalleryImage(String id, Path file) {
}
