package io.clipstream.cli;

import io.clipstream.common.ProgressBars;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clipstream.tools.bench.ModelScript;
import io.clipstream.tools.bench.EmbedBenchReport;
import io.clipstream.tools.bench.EmbedBenchRunner;
import io.clipstream.tools.bench.EmbedBenchSettings;
import io.clipstream.tools.bench.TorchBaseline;
import io.clipstream.common.EncodingException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** `clipstream bench embed`: encoder throughput on CPU, beside torch on the same network and inputs. */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = {"Measure texts/s and images/s of the encoders: the model call alone and end to end "
                + "(tokenise or decode + preprocess, then embed), and torch's model call on the same network and inputs.",
                "Run from a clipstream checkout: the defaults and the torch baseline use models/ and scripts/."})
public final class BenchEmbedCommand implements Callable<Integer> {

    static final Path FIXTURE_MODEL = Path.of("models", "fixture-tiny");
    static final Path VIT_B_32_MODEL = Path.of("target", "bench-models", "clip-vit-b-32");

    @Option(names = "--model", description = "Model directory; repeatable. Default: models/fixture-tiny and "
            + "target/bench-models/clip-vit-b-32 (made with scripts/bench_models.py when missing).")
    List<Path> models = new ArrayList<>();

    @Option(names = "--batches", split = ",", defaultValue = "1,8,32", description = "Batch sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> batches;

    @Option(names = "--seconds", defaultValue = "5", description = "Wall-clock seconds per measurement, after a warm-up of a fifth of it (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--threads", description = "ONNX Runtime intra-op threads, and torch's (default: the number of processors).")
    Integer threads;

    @Option(names = "--torch-library-path", description = "Directory put first on the torch process's LD_LIBRARY_PATH, "
            + "e.g. OpenBLAS's, since Debian's default libblas.so.3 is the unoptimised reference BLAS (see docs/BENCHMARKS.md).")
    Path torchLibraryPath;

    @Option(names = "--images", description = "Directory of images to decode in the end-to-end figures (default: 16 generated JPEG and PNG images, 512-800 px).")
    Path images;

    @Option(names = "--no-torch", description = "Skip the torch baseline.")
    boolean noTorch;

    @Option(names = "--no-generate", description = "Do not make the default ViT-B/32 benchmark model when it is missing; skip it.")
    boolean noGenerate;

    @Option(names = "--json", description = "Print the report as JSON instead of a table.")
    boolean json;

    @CommandLine.Mixin
    ReferencePython reference;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!(seconds > 0)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--seconds must be positive, got " + seconds);
        }
        try {
            return run(out, err);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        } catch (EncodingException | IllegalStateException | UncheckedIOException e) {
            // A benchmark input that cannot be measured (an undecodable image, a failed model script): the run's work
            // failed (exit 1), and the message names the input; a missing model is ErrorReporter's (exit 2).
            err.println(spec.qualifiedName(" ") + ": " + e.getMessage());
            err.flush();
            return ExitCodes.FAILED;
        }
    }

    private int run(PrintWriter out, PrintWriter err) throws Exception {
        int threadCount = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        List<String> notes = new ArrayList<>();
        List<Path> modelDirs = models.isEmpty() ? defaultModels(err, notes) : models;
        Optional<TorchBaseline.Settings> torch = noTorch ? Optional.empty()
                : Optional.of(new TorchBaseline.Settings(reference.python, reference.script("bench_torch.py"), threadCount, seconds, batches,
                        Optional.ofNullable(torchLibraryPath)));
        EmbedBenchSettings settings = new EmbedBenchSettings(modelDirs, batches, Duration.ofNanos((long) (seconds * 1e9)),
                threadCount, torch, Optional.ofNullable(images));
        EmbedBenchReport report = new EmbedBenchRunner(line -> {
            err.println(line);
            err.flush();
        }, ProgressBars.on(err)).run(settings);
        if (!notes.isEmpty()) {
            List<String> all = new ArrayList<>(notes);
            all.addAll(report.notes());
            report = new EmbedBenchReport(report.conditions(), report.rows(), all);
        }
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(report.toJson(mapper)));
        } else {
            out.print(report.table());
        }
        out.flush();
        return 0;
    }

    private List<Path> defaultModels(PrintWriter err, List<String> notes) {
        List<Path> defaults = new ArrayList<>(List.of(FIXTURE_MODEL));
        ModelScript generator = new ModelScript(reference.python, reference.script("bench_models.py"));
        if (Files.isRegularFile(VIT_B_32_MODEL.resolve("clipstream-model.json"))) {
            defaults.add(VIT_B_32_MODEL);
        } else if (noGenerate) {
            notes.add(VIT_B_32_MODEL + " is missing and --no-generate was given; make it with: " + generator.command(VIT_B_32_MODEL));
        } else {
            err.println("making the ViT-B/32-sized benchmark model (about 30 s and 1.2 GB): " + generator.command(VIT_B_32_MODEL));
            err.flush();
            generator.run(VIT_B_32_MODEL);
            defaults.add(VIT_B_32_MODEL);
        }
        return defaults;
    }
}
