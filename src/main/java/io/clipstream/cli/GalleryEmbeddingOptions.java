package io.clipstream.cli;

import io.clipstream.eval.SvgRasterizer;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/**
 * The options of the commands that embed an image gallery (evaluate, evaluate-tags): how the
 * gallery is rendered and batched, and whether progress is drawn.
 */
final class GalleryEmbeddingOptions {

    @Option(names = "--batch", defaultValue = "32", description = "Inputs per encoder call (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--svg-size", defaultValue = "96", description = "Pixels on the longer side when rendering SVG (default: ${DEFAULT-VALUE}).")
    int svgSize;

    @Option(names = "--rsvg-convert", defaultValue = "rsvg-convert", description = "The SVG renderer (default: ${DEFAULT-VALUE}).")
    String rsvgConvert;

    @Option(names = "--no-progress", description = "Do not draw progress bars on stderr.")
    boolean noProgress;

    SvgRasterizer rasterizer() {
        return new SvgRasterizer(rsvgConvert, svgSize);
    }

    ProgressBars progress(PrintWriter err) {
        return noProgress ? ProgressBars.NONE : ProgressBars.on(err);
    }
}
