package io.clipstream.cli;

import io.clipstream.common.ProgressBars;
import io.clipstream.common.ProgressBar;
import io.clipstream.encoders.ClipModel;
import io.clipstream.encoders.EncoderSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * `clipstream embed-texts`: the text vectors of a whole file, for training scripts. The default
 * model's image tower is trained against exactly the vectors the service computes, so its
 * targets come from here rather than from a second implementation of the text tower in Python.
 */
@Command(name = "embed-texts", hidden = true, mixinStandardHelpOptions = true,
        description = {"Embed every line of a UTF-8 text file (one text per line) and write the unit vectors as raw "
                + "little-endian float32 rows, one row per line, in order."})
public final class EmbedTextsCommand implements Callable<Integer> {

    private static final int BATCH = 64;

    @Option(names = "--model", required = true, description = "Model directory.")
    Path model;

    @Option(names = "--input", required = true, description = "Text file, one text per line.")
    Path input;

    @Option(names = "--output", required = true, description = "Where to write the float32 rows.")
    Path output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        List<String> texts = Files.readAllLines(input, StandardCharsets.UTF_8);
        try (ClipModel clip = ClipModel.open(EncoderSettings.cpu(model));
             OutputStream out = new BufferedOutputStream(Files.newOutputStream(output), 1 << 16)) {
            ProgressBar progress = ProgressBars.on(spec.commandLine().getErr()).start("texts", texts.size(), "texts");
            ByteBuffer row = ByteBuffer.allocate(clip.dimension() * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (int start = 0; start < texts.size(); start += BATCH) {
                List<String> batch = texts.subList(start, Math.min(texts.size(), start + BATCH));
                for (var embedding : clip.text().embed(batch)) {
                    row.clear();
                    row.asFloatBuffer().put(embedding.vector());
                    out.write(row.array());
                }
                progress.advance(batch.size());
            }
            progress.finish();
            spec.commandLine().getErr().printf("%d vectors of dimension %d (model %s) written to %s%n",
                    texts.size(), clip.dimension(), clip.id(), output);
        }
        return 0;
    }
}
