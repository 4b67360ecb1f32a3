package io.clipstream.cli;

import io.clipstream.common.ProgressBars;
import io.clipstream.tools.bench.IngestBenchReport;
import io.clipstream.tools.bench.IngestBenchSettings;
import io.clipstream.tools.bench.IngestBenchSettings.ImageSource;
import io.clipstream.tools.bench.IngestBenchmark;
import io.clipstream.tools.bench.ModelScript;
import io.clipstream.encoders.ModelLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** `clipstream bench ingest`: image events to searchable through the embedder, inline and by URL, and where the time goes. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {"Start the embedded stack and measure images/s from the first send to every image searchable, in "
                + "steady state (after a warm-up): images sent inline and by URL from a local image server answering after "
                + "--latency-ms, with the pipelined embedder and (in a second stack) the serial one (embedder.prepare.threads=0); "
                + "and, in the same run, the preparation stage alone at --prepare-threads and bench embed's image figures at "
                + "--batch. Each phase's time is split by embedder stage (fetch, decode, preprocess, thumbnail, model) and by "
                + "thread group (Kafka, index, native).",
                "Run from a clipstream checkout. The default model is the tiny 512-d benchmark model (near-zero model cost, so "
                        + "the pipeline's own cost shows), made with scripts/make_bench_tiny512.py when missing; "
                        + "--model target/bench-models/clip-vit-b-32 (scripts/bench_models.py) for a real model's cost."})
public final class BenchIngestCommand implements Callable<Integer> {

    @Option(names = "--model", description = "Model directory (default: target/bench-models/tiny-512, made when missing).")
    Path model;

    @Option(names = "--images", defaultValue = "2000", description = "Timed image events per phase (default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--warmup", defaultValue = "200", description = "Untimed events before each phase (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--batch", defaultValue = "32", description = "embedder.batch.size and encoder.batch.max, and the batch of "
            + "the bench embed figures (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--latency-ms", defaultValue = "100", description = "How long the local image server takes to answer (default: ${DEFAULT-VALUE}).")
    long latencyMs;

    @Option(names = "--pipelined", split = ",", defaultValue = "inline,url",
            description = "Inputs measured with the pipelined embedder: inline, url, or none (default: ${DEFAULT-VALUE}).")
    List<String> pipelined;

    @Option(names = "--serial", split = ",", defaultValue = "inline",
            description = "Inputs measured with the serial embedder, in a second stack: inline, url, or none (default: ${DEFAULT-VALUE}).")
    List<String> serial;

    @Option(names = "--prepare-threads", split = ",", defaultValue = "1,2",
            description = "Thread counts to time the preparation stage alone at; none to skip (default: ${DEFAULT-VALUE}).")
    List<String> prepareThreads;

    @Option(names = "--jit-warmup", defaultValue = "1000", description = "Events of each source sent through a throwaway "
            + "stack first, so that every timed stack starts from the same JIT-compiled JVM; 0 for none (default: ${DEFAULT-VALUE}).")
    int jitWarmup;

    @Option(names = "--serial-first", description = "Run the serial stack before the pipelined one (the first stack "
            + "in the JVM pays for most JIT compiling).")
    boolean serialFirst;

    @Option(names = "--no-embed-baseline", description = "Skip bench embed's image figures.")
    boolean noEmbedBaseline;

    @Option(names = "--baseline-seconds", defaultValue = "10", description = "Seconds per preparation and bench embed figure, "
            + "after a warm-up of a fifth of it (default: ${DEFAULT-VALUE}).")
    double baselineSeconds;

    @Option(names = "--set", description = "A clipstream setting for every stack, key=value (repeatable), e.g. fetch.max.per.host=32.")
    List<String> set = new ArrayList<>();

    @Option(names = "--images-dir", description = "Images to use instead of the 16 generated ones bench embed uses.")
    Path imagesDir;

    @Option(names = "--data-dir", defaultValue = "target/bench-ingest",
            description = "Where the embedded brokers and state live; emptied at start (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--timeout", defaultValue = "1800", description = "Seconds one phase may take to become searchable (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Option(names = "--json", description = "Print one JSON object with every figure instead of the table.")
    boolean json;

    @CommandLine.Mixin
    ReferencePython reference;

    @CommandLine.Mixin
    StackOptions stack;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        IngestBenchSettings settings;
        try {
            Path modelDir = model != null ? requireModel(model, reference) : BenchPipelineCommand.tiny512(reference, err, "bench ingest");
            settings = new IngestBenchSettings(modelDir, images, warmup, batch, Duration.ofMillis(latencyMs), sources(pipelined),
                    sources(serial), threads(prepareThreads), !noEmbedBaseline, Duration.ofNanos((long) (baselineSeconds * 1e9)),
                    stack.partitions, dataDir, stack.portOrFree(), overrides(set),
                    Optional.ofNullable(imagesDir), Duration.ofSeconds(timeoutSeconds), serialFirst, jitWarmup);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
        IngestBenchReport report = BenchPipelineCommand.withStdoutOnStderr(() -> new IngestBenchmark(settings, line -> {
            err.println("bench ingest: " + line);
            err.flush();
        }, ProgressBars.on(err)).run());
        BenchPipelineCommand.printReport(out, json, report, report::table);
        return 0;
    }

    /** An explicit --model must hold one, before any broker starts; the message says how to make the benchmark's. */
    static Path requireModel(Path dir, ReferencePython reference) {
        if (!Files.isRegularFile(dir.resolve(ModelLoader.MANIFEST)) && !Files.isRegularFile(dir.resolve("config.json"))) {
            throw new UserError(dir + " holds no model; for the ViT-B/32-sized one run "
                    + new ModelScript(reference.python, reference.script("bench_models.py")).command(dir));
        }
        return dir;
    }

    static List<ImageSource> sources(List<String> names) {
        List<ImageSource> sources = new ArrayList<>();
        for (String name : names) {
            String n = name.trim().toLowerCase(Locale.ROOT);
            if (n.equals("none") || n.isEmpty()) {
                continue;
            }
            try {
                sources.add(ImageSource.valueOf(n.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + name + "' is not an input; give inline, url or none");
            }
        }
        return sources;
    }

    static List<Integer> threads(List<String> values) {
        List<Integer> threads = new ArrayList<>();
        for (String value : values) {
            if (value.trim().equalsIgnoreCase("none")) {
                continue;
            }
            try {
                threads.add(Integer.parseInt(value.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--prepare-threads: '" + value + "' is not a number of threads or none");
            }
        }
        return threads;
    }

    static Map<String, String> overrides(List<String> pairs) {
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--set '" + pair + "': write key=value, e.g. fetch.max.per.host=32");
            }
            overrides.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return overrides;
    }
}
