package io.clipstream.cli;

import io.clipstream.common.ProgressBars;
import io.clipstream.encoders.ClipModel;
import io.clipstream.encoders.EncoderSettings;
import io.clipstream.tools.eval.Gallery;
import io.clipstream.tools.eval.GalleryImage;
import io.clipstream.tools.eval.PrintableReport;
import io.clipstream.tools.eval.SvgRasterizer;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The options of the commands that embed an image gallery (evaluate, evaluate-tags): the model, how the
 * gallery is rendered and batched, and whether progress is drawn.
 */
final class GalleryEmbeddingOptions {

    @Option(names = "--model", required = true, description = "Model directory.")
    Path model;

    @Option(names = "--batch", defaultValue = "32", description = "Inputs per encoder call (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--svg-size", defaultValue = "96", description = "Pixels on the longer side when rendering SVG (default: ${DEFAULT-VALUE}).")
    int svgSize;

    @Option(names = "--rsvg-convert", defaultValue = "rsvg-convert", description = "The SVG renderer (default: ${DEFAULT-VALUE}).")
    String rsvgConvert;

    @Option(names = "--prefer", defaultValue = "png", description = "When FILE.svg and a raster FILE.png (or .jpg, ...) "
            + "are both in the gallery, they are one image: use the svg (rendered with rsvg-convert) or the png (read "
            + "directly). Default: ${DEFAULT-VALUE}.", converter = PreferConverter.class)
    Gallery.Prefer prefer;

    @Option(names = "--no-progress", description = "Do not draw progress bars on stderr.")
    boolean noProgress;

    ClipModel openModel() {
        return ClipModel.open(EncoderSettings.cpu(model));
    }

    static void print(PrintWriter out, PrintableReport report, boolean json) {
        out.print(report.render(json));
        out.flush();
    }

    List<GalleryImage> scan(Path images) throws IOException {
        return Gallery.scan(images, prefer);
    }

    SvgRasterizer rasterizer() {
        return new SvgRasterizer(rsvgConvert, svgSize);
    }

    ProgressBars progress(PrintWriter err) {
        return noProgress ? ProgressBars.NONE : ProgressBars.on(err);
    }

    /** svg or png, in any case; anything else is refused by picocli with this message. */
    static final class PreferConverter implements CommandLine.ITypeConverter<Gallery.Prefer> {
        @Override
        public Gallery.Prefer convert(String value) {
            try {
                return Gallery.Prefer.valueOf(value.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is neither svg nor png");
            }
        }
    }
}
