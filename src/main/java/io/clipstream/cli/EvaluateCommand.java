package io.clipstream.cli;

import io.clipstream.encoders.ClipModel;
import io.clipstream.tools.eval.Evaluation;
import io.clipstream.tools.eval.EvaluationReport;
import io.clipstream.tools.eval.TextQuery;
import io.clipstream.tools.eval.TextQueryFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** `clipstream evaluate`: retrieval quality of a model on a labelled gallery, through the service's encoders and search. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Measure retrieval: embed every image under --images and every caption or query through the model, "
                        + "rank with the vector store's exact search, and print Recall@1/5/10 and the median rank of the "
                        + "first right answer, beside the expected scores of a random ranking.",
                "",
                "An image's id is its path under --images without the extension (animals/birds/owl for "
                        + "DIR/animals/birds/owl.png). PNG, JPEG, GIF, BMP and WebP are read directly; SVG is rendered "
                        + "with rsvg-convert (librsvg2-bin), which must then be installed. A drawing that is there both "
                        + "as x.svg and as x.png (or another raster format) is one image, id x: --prefer says which file "
                        + "is used (png by default, so no renderer is needed for it).",
                "",
                "--captions: UTF-8 TSV, 'image_id<TAB>caption' per line, any number of captions per image. Gives "
                        + "text_to_image (each caption finds its image among all images) and image_to_text (each "
                        + "captioned image finds one of its captions among all captions).",
                "--queries: UTF-8 TSV, 'query<TAB>id,id,...' per line (every image that answers it). Gives queries "
                        + "(text to image).",
                "In both files blank lines and lines starting with # are skipped.",
                ""})
public final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--images", required = true, description = "Folder of gallery images (searched recursively).")
    Path images;

    @Option(names = "--captions", description = "Captions file: image_id<TAB>caption.")
    Path captions;

    @Option(names = "--queries", description = "Query file: query<TAB>comma-separated right image ids.")
    Path queries;

    @Option(names = "--json", description = "Print one JSON object (keys such as text_to_image.recall@10) instead of a table.")
    boolean json;

    @CommandLine.Mixin
    GalleryEmbeddingOptions gallery;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        if (captions == null && queries == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give --captions, --queries or both");
        }
        try {
            List<TextQuery> captionList = captions == null ? List.of() : TextQueryFiles.readCaptions(captions);
            List<TextQuery> queryList = queries == null ? List.of() : TextQueryFiles.readQueries(queries);
            EvaluationReport report;
            try (ClipModel clip = gallery.openModel()) {
                report = new Evaluation(clip, gallery.rasterizer(), gallery.batch, gallery.progress(err))
                        .run(gallery.scan(images), captionList, queryList);
            }
            GalleryEmbeddingOptions.print(spec.commandLine().getOut(), report, json);
            return 0;
        } catch (IllegalArgumentException e) {
            // Malformed caption or query files and galleries: the message names the file and line.
            throw new UserError(e.getMessage(), e);
        }
    }
}
