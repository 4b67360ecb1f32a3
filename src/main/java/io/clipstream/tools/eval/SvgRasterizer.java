package io.clipstream.tools.eval;

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

    /**
     * Fails with {@link SvgRendererMissingException} unless the renderer starts, so that a gallery
     * with SVGs stops before its first image is embedded, with one message instead of one per file.
     *
     * @param svgFiles how many files need it (for the message)
     */
    public void requireInstalled(long svgFiles) throws IOException {
        Process process = start(List.of(executable, "--version"), svgFiles + " SVG file" + (svgFiles == 1 ? "" : "s"));
        try {
            process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting " + executable, e);
        }
    }

    public byte[] render(Path svg) throws IOException {
        Process process = start(List.of(executable, "--keep-aspect-ratio", "-w", Integer.toString(size),
                "-h", Integer.toString(size), "--background-color", "white", svg.toString()), svg.toString());
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

    private Process start(List<String> command, String forWhat) throws SvgRendererMissingException {
        try {
            return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new SvgRendererMissingException("cannot run '" + executable + "' to render " + forWhat
                    + ": install librsvg2-bin (apt-get install librsvg2-bin), name the program with --rsvg-convert, "
                    + "or give PNGs instead (--prefer png when both are there)", e);
        }
    }
}
