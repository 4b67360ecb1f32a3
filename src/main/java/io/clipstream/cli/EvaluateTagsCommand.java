package io.clipstream.cli;

import io.clipstream.encoders.ClipModel;
import io.clipstream.tools.eval.CategoryLevel;
import io.clipstream.tools.eval.TaggingEvaluation;
import io.clipstream.tools.eval.TaggingReport;
import io.clipstream.tagging.TaggingSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/** `clipstream evaluate-tags`: zero-shot tagging accuracy on a gallery sorted into category folders. */
@Command(name = "evaluate-tags", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Measure zero-shot tagging: every category folder under --images becomes a label (its name as words: "
                        + "signs_and_symbols -> 'signs and symbols'), every image is tagged with the service's own tagger "
                        + "(the labels in every template through the text tower, averaged; one matrix product with the "
                        + "image vectors), and the share of images whose own folder is among their first 1, 3 and 5 labels "
                        + "is printed beside a random ranking (k/L) and beside always answering the most frequent categories.",
                "",
                "--level top takes the first folder of an image's path (animals for animals/birds/owl.png), --level leaf "
                        + "the folder the file sits in (birds). Images at the root of --images are skipped. PNG, JPEG, GIF, "
                        + "BMP and WebP are read directly; SVG is rendered with rsvg-convert (librsvg2-bin).",
                ""})
public final class EvaluateTagsCommand implements Callable<Integer> {

    @Option(names = "--images", required = true, description = "Folder of category folders of images (searched recursively).")
    Path images;

    @Option(names = "--level", defaultValue = "top", description = "Which folder is the category: top or leaf (default: ${DEFAULT-VALUE}).")
    String level;

    @Option(names = "--exclude", split = ",", defaultValue = "unsorted,special",
            description = "Category folders that name no visual concept and are skipped (default: ${DEFAULT-VALUE}).")
    List<String> exclude;

    @Option(names = "--templates", description = "Prompt templates separated by '|', {} for the label (default: the "
            + "service's tagging.templates default).")
    String templates;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    @CommandLine.Mixin
    GalleryEmbeddingOptions gallery;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        try {
            Set<String> excluded = new HashSet<>(exclude == null ? List.of() : exclude);
            excluded.remove("");
            TaggingReport report;
            try (ClipModel clip = gallery.openModel()) {
                report = new TaggingEvaluation(clip, gallery.rasterizer(), gallery.batch, gallery.progress(err))
                        .run(gallery.scan(images), CategoryLevel.parse(level), excluded, TaggingSettings.parseTemplates(templates));
            }
            GalleryEmbeddingOptions.print(spec.commandLine().getOut(), report, json);
            return 0;
        } catch (IllegalArgumentException e) {
            // A gallery that is not a folder, an unknown --level, bad templates: the message names which.
            throw new UserError(e.getMessage(), e);
        }
    }
}
