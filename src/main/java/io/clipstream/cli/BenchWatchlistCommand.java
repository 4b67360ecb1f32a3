package io.clipstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clipstream.tools.bench.BenchImage;
import io.clipstream.tools.bench.SyntheticImages;
import io.clipstream.tools.bench.WatchlistBenchmark;
import io.clipstream.encoders.ClipModel;
import io.clipstream.encoders.EncoderSettings;
import io.clipstream.encoders.PreparedImage;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * `clipstream bench watchlist`: per-image cost of scoring embedded images against watchlist concepts (issue 8), with
 * the embedding itself for context, and numpy/torch doing the same thresholded product in the same run.
 */
@Command(name = "watchlist", mixinStandardHelpOptions = true,
        description = "Benchmark watchlist scoring: microseconds per image at each concept count and dimension, "
                + "concept matrix (SIMD and scalar) against a per-concept loop and numpy/torch on one thread.")
public final class BenchWatchlistCommand implements Callable<Integer> {

    @Option(names = "--dims", split = ",", defaultValue = "384,512", description = "Dimensions (default ${DEFAULT-VALUE}).")
    List<Integer> dims;

    @Option(names = "--concepts", split = ",", defaultValue = "10,1000,10000", description = "Concept counts (default ${DEFAULT-VALUE}).")
    List<Integer> concepts;

    @Option(names = "--batch", defaultValue = "32", description = "Images per scored batch (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--seconds", defaultValue = "2", description = "Seconds per figure, after a warm-up of a fifth of it, at least 1 s (default ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--threshold", defaultValue = "0.25", description = "Every concept's threshold (default ${DEFAULT-VALUE}).")
    float threshold;

    @Option(names = "--model", defaultValue = "models/default",
            description = "Model whose image embedding is timed for context; 'none' to skip (default ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--python-library-path", description = "Directory put first on the reference's LD_LIBRARY_PATH, to "
            + "give numpy and torch OpenBLAS instead of Debian's reference BLAS (see docs/BENCHMARKS.md).")
    Path pythonLibraryPath;

    @Option(names = "--no-reference", description = "Skip the numpy/torch reference.")
    boolean noReference;

    @CommandLine.Mixin
    ReferencePython reference;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (!noReference && !Files.isExecutable(reference.python)) {
            // Checked before minutes of measuring, not after.
            throw new UserError("cannot run " + reference.python + " for the numpy/torch reference: no such program. Give --python a "
                    + "Python with numpy (and torch), or pass --no-reference");
        }
        WatchlistBenchmark bench = new WatchlistBenchmark(seconds, threshold);
        Map<String, Map<String, Double>> table = new LinkedHashMap<>();
        List<String> methods = new ArrayList<>();
        for (int dim : dims) {
            for (int count : concepts) {
                for (WatchlistBenchmark.Row row : bench.run(dim, count, batch)) {
                    record(table, methods, row.method(), dim, count, row.microsPerImage());
                    out.printf("%-34s d=%-4d C=%-6d %10.2f us/image%n", row.method(), dim, count, row.microsPerImage());
                    out.flush();
                }
            }
        }
        String rebuild = String.format("%.1f ms", bench.rebuildMillis(dims.get(dims.size() - 1), concepts.get(concepts.size() - 1)));
        Optional<String> embedding = "none".equals(model) ? Optional.empty() : Optional.of(embeddingFigure(Path.of(model)));
        String blas = "";
        if (!noReference) {
            for (JsonNode line : reference()) {
                record(table, methods, line.get("lib").asText() + " (1 thread)", line.get("dim").asInt(), line.get("concepts").asInt(),
                        line.get("us_per_image").asDouble());
                blas = line.get("blas").asText();
            }
        }
        out.println();
        out.println("CPU microseconds per image, batch " + batch + ", one thread, threshold " + threshold + " (bench sink " + bench.sink() + ")");
        out.println();
        StringBuilder header = new StringBuilder("| d | concepts |");
        StringBuilder rule = new StringBuilder("|---|---|");
        for (String method : methods) {
            header.append(' ').append(method).append(" |");
            rule.append("---|");
        }
        out.println(header);
        out.println(rule);
        for (Map.Entry<String, Map<String, Double>> entry : table.entrySet()) {
            StringBuilder line = new StringBuilder("| " + entry.getKey().replace("/", " | ") + " |");
            for (String method : methods) {
                Double value = entry.getValue().get(method);
                line.append(' ').append(value == null ? "-" : String.format(value < 10 ? "%.2f" : "%.1f", value)).append(" |");
            }
            out.println(line);
        }
        out.println();
        out.println("concept matrix rebuild at d=" + dims.get(dims.size() - 1) + ", C=" + concepts.get(concepts.size() - 1) + ": " + rebuild);
        embedding.ifPresent(e -> out.println("embedding for context: " + e));
        if (!blas.isEmpty()) {
            out.println("reference BLAS: " + blas);
        }
        out.flush();
        return 0;
    }

    private static void record(Map<String, Map<String, Double>> table, List<String> methods, String method, int dim, int count,
                               double micros) {
        if (!methods.contains(method)) {
            methods.add(method);
        }
        table.computeIfAbsent(dim + "/" + count, k -> new LinkedHashMap<>()).put(method, micros);
    }

    /**
     * Image tower cost per image at this batch size, on ready pixel tensors: process CPU time (every ONNX Runtime
     * thread; the JVM's own threads are idle meanwhile), comparable with the scoring's CPU time, and wall-clock time.
     */
    private String embeddingFigure(Path modelDir) {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        try (ClipModel clip = ClipModel.open(EncoderSettings.cpu(modelDir))) {
            List<PreparedImage> prepared = new ArrayList<>();
            for (BenchImage image : SyntheticImages.generate(batch, 3)) {
                prepared.add(clip.image().prepare(image.bytes(), image.name()));
            }
            clip.image().embedPrepared(prepared);
            long start = System.nanoTime();
            long cpuStart = os.getProcessCpuTime();
            int calls = 0;
            do {
                clip.image().embedPrepared(prepared);
                calls++;
            } while (System.nanoTime() - start < seconds * 1e9);
            double cpuMicros = (os.getProcessCpuTime() - cpuStart) / 1e3 / calls / batch;
            double wallMicros = (System.nanoTime() - start) / 1e3 / calls / batch;
            return String.format("%s (d=%d) image tower %.0f CPU us/image (%.0f us/image wall clock, ONNX Runtime's default "
                    + "threads) at batch %d", clip.id(), clip.dimension(), cpuMicros, wallMicros, batch);
        }
    }

    private List<JsonNode> reference() throws IOException, InterruptedException {
        Path script = reference.script("bench_watchlist_reference.py");
        List<String> command = List.of(reference.python.toString(), script.toString(), "--dims", join(dims), "--concepts", join(concepts),
                "--batch", Integer.toString(batch), "--threshold", Float.toString(threshold), "--seconds", Double.toString(seconds),
                "--threads", "1");
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("OPENBLAS_NUM_THREADS", "1");
        builder.environment().put("OMP_NUM_THREADS", "1");
        if (pythonLibraryPath != null) {
            String inherited = builder.environment().get("LD_LIBRARY_PATH");
            builder.environment().put("LD_LIBRARY_PATH", pythonLibraryPath.toAbsolutePath()
                    + (inherited == null || inherited.isEmpty() ? "" : ":" + inherited));
        }
        Path output = Files.createTempFile("clipstream-bench-watchlist", ".jsonl");
        try {
            Process process = builder.redirectOutput(output.toFile()).start();
            if (!process.waitFor(600, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(script + " failed or timed out; pass --no-reference to skip it");
            }
            ObjectMapper json = new ObjectMapper();
            List<JsonNode> lines = new ArrayList<>();
            for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    lines.add(json.readTree(line));
                }
            }
            return lines;
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static String join(List<Integer> values) {
        return String.join(",", values.stream().map(String::valueOf).toList());
    }
}
