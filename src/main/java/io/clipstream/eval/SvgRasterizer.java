package io.clipstream.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Renders an SVG to PNG bytes with librsvg's {@code rsvg-convert} (Debian: librsvg2-bin), over
 * white and at a fixed size on its longer side; the JDK has no SVG renderer, and this is the
 * renderer the default model's training images were made with.
 *
 * @param executable the rsvg-convert program (a name looked up on PATH, or a path)
 * @param size       pixels on the longer side
 */
public record SvgRasterizer(String executable, int size) {

    private static final long TIMEOUT_SECONDS = 60;

    public byte[] render(Path svg) throws IOException {
        Process process;
        try {
            process = new ProcessBuilder(List.of(executable, "--keep-aspect-ratio", "-w", Integer.toString(size),
                    "-h", Integer.toString(size), "--background-color", "white", svg.toString()))
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new IOException("cannot run '" + executable + "' to render " + svg + " (" + e.getMessage()
                    + "); install librsvg2-bin or convert the SVGs to PNG first", e);
        }
        try {
            byte[] png = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(executable + " did not finish rendering " + svg + " in " + TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0 || png.length == 0) {
                throw new IOException(executable + " failed on " + svg + " (exit " + process.exitValue() + "); is it a valid SVG?");
            }
            return png;
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while rendering " + svg, e);
        }
    }
}
