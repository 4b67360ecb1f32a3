package io.clipstream.tools.bench;

/** An encoded benchmark image and the name errors give for it (a file name, or the generated one's). */
public record BenchImage(String name, byte[] bytes) {
}
