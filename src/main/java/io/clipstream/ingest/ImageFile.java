package io.clipstream.ingest;

import java.nio.file.Path;

/**
 * A file under the ingested folder that will be sent as an image event.
 *
 * @param id       the item id: the relative path with '/' separators, without the extension
 * @param relative the relative path with '/' separators, as the captions file names it
 * @param file     where to read it
 * @param size     its size in bytes when the folder was scanned
 */
public record ImageFile(String id, String relative, Path file, long size) {
}
