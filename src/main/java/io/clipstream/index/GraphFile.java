package io.clipstream.index;

/** A saved segment graph: its file under the partition's segment directory, and what it must read back as. */
public record GraphFile(String file, long crc, long bytes) {
}
