package io.clipstream.cli;

import io.clipstream.common.ProgressBars;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.clipstream.tools.bench.ModelScript;
import io.clipstream.tools.bench.PipelineBenchReport;
import io.clipstream.tools.bench.PipelineBenchSettings;
import io.clipstream.tools.bench.VectorData;
import io.clipstream.tools.bench.PipelineBenchmark;
import io.clipstream.encoders.ModelLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.concurrent.Callable;

/** `clipstream bench pipeline`: how fast events become searchable, and search latency by index size. */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
        description = {"Start the embedded stack and measure, in one run: pre-computed vectors produced to vectors.image "
                + "until searchable (embedding excluded); sequential REST text-search latency at each index size; image "
                + "events produced to media.images until searchable (embedding included).",
                "Run from a clipstream checkout. The default model, a tiny 512-d dual encoder whose query embedding costs "
                        + "well under a millisecond, is made with scripts/make_bench_tiny512.py when missing.",
                "100,000 512-d vectors take about 0.42 GB of heap with the broker (measured); the JVM's default heap "
                        + "(a quarter of RAM) suffices on 4 GB or more, otherwise set CLIPSTREAM_JAVA_OPTS=-Xmx1g."})
public final class BenchPipelineCommand implements Callable<Integer> {

    static final Path TINY_512_MODEL = Path.of("target", "bench-models", "tiny-512");

    @Option(names = "--model", description = "Model the stack serves; benchmark vectors carry its id and dimension "
            + "(default: target/bench-models/tiny-512, made when missing).")
    Path model;

    @Option(names = "--vectors", split = ",", defaultValue = "10000,100000",
            description = "Index sizes to load and measure search at, ascending (default: ${DEFAULT-VALUE}).")
    List<Integer> vectors;

    @Option(names = "--queries", defaultValue = "500", description = "Timed searches per index size (default: ${DEFAULT-VALUE}).")
    int queries;

    @Option(names = "--warmup", defaultValue = "100", description = "Untimed searches before them (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--images", defaultValue = "500", description = "Image events for the embedding-included figure; 0 skips it (default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--embed-model", description = "Repeat the image figure with this model (e.g. target/bench-models/clip-vit-b-32 "
            + "from scripts/bench_models.py) in a fresh stack.")
    Path embedModel;

    @Option(names = "--embed-images", defaultValue = "64", description = "Image events for the --embed-model figure (default: ${DEFAULT-VALUE}).")
    int embedImages;

    @Option(names = "--data-dir", defaultValue = "target/bench-pipeline",
            description = "Where the embedded broker and state live; emptied at start (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the random vectors and query order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--timeout", defaultValue = "900", description = "Seconds any one phase may take to become searchable (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Option(names = "--search-interval-ms", defaultValue = "100", description = "While each vector step loads and its "
            + "graphs are built, one REST search every this many ms on a second connection (default: ${DEFAULT-VALUE}).")
    long searchIntervalMs;

    @Option(names = "--data", defaultValue = "random", description = "Benchmark vectors: random unit directions or "
            + "clustered (a mixture of 1000 centres, like real embeddings) (default: ${DEFAULT-VALUE}).")
    String data;

    @Option(names = "--restart", description = "After the vector steps, restart clipstream on its state directory (broker "
            + "and registry stay up) and time it until /health/ready answers 200; compare item searches before and after.")
    boolean restart;

    @Option(names = "--json", description = "Print one JSON object with every figure instead of the table.")
    boolean json;

    @CommandLine.Mixin
    ReferencePython reference;

    @CommandLine.Mixin
    StackOptions stack;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private VectorData vectorData() {
        try {
            return VectorData.valueOf(data.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--data is '" + data + "': use random or clustered");
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path modelDir = model != null ? BenchIngestCommand.requireModel(model, reference) : defaultModel(err);
        PipelineBenchSettings settings;
        try {
            settings = new PipelineBenchSettings(modelDir, vectors, queries, warmup, images, stack.partitions, dataDir,
                    stack.portOrFree(), Optional.ofNullable(embedModel), embedImages, seed,
                    Duration.ofSeconds(timeoutSeconds), searchIntervalMs, vectorData(), restart);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
        PipelineBenchReport report = withStdoutOnStderr(() -> new PipelineBenchmark(settings, line -> {
            err.println("bench pipeline: " + line);
            err.flush();
        }, ProgressBars.on(err)).run());
        printReport(out, json, report, report::table);
        return 0;
    }

    private Path defaultModel(PrintWriter err) {
        return tiny512(reference, err, "bench pipeline");
    }

    /** The tiny 512-d benchmark model, made with scripts/make_bench_tiny512.py when missing. */
    static Path tiny512(ReferencePython reference, PrintWriter err, String command) {
        if (!Files.isRegularFile(TINY_512_MODEL.resolve(ModelLoader.MANIFEST))) {
            ModelScript script = new ModelScript(reference.python, reference.script("make_bench_tiny512.py"));
            err.println(command + ": making the 512-d benchmark model: " + script.command(TINY_512_MODEL));
            err.flush();
            script.run(TINY_512_MODEL);
        }
        return TINY_512_MODEL;
    }

    /** The stack benchmarks' report: the table for people, or every figure as one indented JSON object (--json). */
    static void printReport(PrintWriter out, boolean json, Object report, Supplier<String> table) throws JsonProcessingException {
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
        } else {
            out.print(table.get());
        }
        out.flush();
    }

    /**
     * Runs a benchmark of the embedded stack with System.out sent to stderr: Kafka's embedded test kit prints its
     * start-up lines there, and stdout must carry the report alone (--json is meant to be piped). The caller's
     * writers were bound to the real stdout before.
     */
    static <T> T withStdoutOnStderr(java.util.concurrent.Callable<T> benchmark) throws Exception {
        PrintStream stdout = System.out;
        System.setOut(System.err);
        try {
            return benchmark.call();
        } finally {
            System.setOut(stdout);
        }
    }
}
