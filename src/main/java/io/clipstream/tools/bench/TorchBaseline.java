package io.clipstream.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs {@code scripts/bench_torch.py} on the inputs clipstream measured and reads its figures. It
 * runs after the clipstream measurement of the same model, never beside it, so the two do not
 * share the CPU.
 */
public final class TorchBaseline {

    /**
     * @param python  the interpreter with torch (Debian's is {@code /usr/bin/python3})
     * @param script  {@code scripts/bench_torch.py}
     * @param threads     torch intra-op threads, the same as ONNX Runtime's
     * @param libraryPath a directory put first on the process's LD_LIBRARY_PATH, to give torch
     *                    another libblas.so.3 (Debian's default is the unoptimised reference BLAS)
     */
    public record Settings(Path python, Path script, int threads, double seconds, List<Integer> batches,
                           Optional<Path> libraryPath) {
        public Settings {
            batches = List.copyOf(batches);
        }
    }

    /** torch's figure for one modality and batch size. */
    public record Figure(Modality modality, int batch, double itemsPerSecond) {
    }

    /** All figures of one run, with the torch version and the BLAS library that produced them. */
    public record Result(String torchVersion, String blas, List<Figure> figures) {
        public Optional<Figure> find(Modality modality, int batch) {
            return figures.stream().filter(f -> f.modality() == modality && f.batch() == batch).findFirst();
        }
    }

    /** The model kinds {@code bench_torch.py} can rebuild in torch, by clipstream model id. */
    public static Optional<String> kindFor(String modelId) {
        return switch (modelId) {
            case "fixture-tiny" -> Optional.of("fixture");
            case "bench-clip-vit-b-32" -> Optional.of("clip-vit-b-32");
            default -> Optional.empty();
        };
    }

    private static final int MAX_OUTPUT_LINES = 1000;
    private static final int ERROR_TAIL_CHARS = 2000;

    private final Settings settings;
    private final ObjectMapper json = new ObjectMapper();

    public TorchBaseline(Settings settings) {
        this.settings = settings;
    }

    public Result run(String kind, Path modelDir, Path inputs) {
        if (!Files.isRegularFile(settings.script())) {
            throw new TorchBaselineException(settings.script() + " not found; run from a clipstream checkout or pass --scripts");
        }
        List<String> command = List.of(settings.python().toString(), settings.script().toString(),
                "--model-kind", kind, "--model-dir", modelDir.toString(), "--inputs", inputs.toString(),
                "--batches", settings.batches().stream().map(String::valueOf).collect(Collectors.joining(",")),
                "--seconds", Double.toString(settings.seconds()), "--threads", Integer.toString(settings.threads()));
        Path stdout = null;
        Path stderr = null;
        try {
            stdout = Files.createTempFile("clipstream-bench-torch", ".out");
            stderr = Files.createTempFile("clipstream-bench-torch", ".err");
            Process process;
            try {
                ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
                settings.libraryPath().ifPresent(dir -> {
                    String inherited = builder.environment().get("LD_LIBRARY_PATH");
                    builder.environment().put("LD_LIBRARY_PATH",
                            dir.toAbsolutePath() + (inherited == null || inherited.isEmpty() ? "" : ":" + inherited));
                });
                process = builder.start();
            } catch (IOException e) {
                throw new TorchBaselineException("cannot start " + settings.python() + " (" + e.getMessage()
                        + "); pass --python with an interpreter that has torch, or --no-torch");
            }
            long timeoutSeconds = timeoutSeconds();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new TorchBaselineException("bench_torch.py did not finish within " + timeoutSeconds + " s: " + command);
            }
            if (process.exitValue() != 0) {
                throw new TorchBaselineException("bench_torch.py exited with " + process.exitValue() + ": "
                        + tail(Files.readString(stderr, StandardCharsets.UTF_8)));
            }
            return parse(Files.readAllLines(stdout, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run bench_torch.py: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TorchBaselineException("interrupted while waiting for bench_torch.py");
        } finally {
            deleteQuietly(stdout);
            deleteQuietly(stderr);
        }
    }

    /** Generous: model loading, then each measurement's warm-up and budget plus one slow call. */
    private long timeoutSeconds() {
        return 180 + (long) (2 * settings.batches().size() * (1.2 * settings.seconds() + 60));
    }

    Result parse(List<String> lines) {
        List<Figure> figures = new ArrayList<>();
        String version = "unknown";
        String blas = "unknown";
        for (String line : lines.subList(0, Math.min(lines.size(), MAX_OUTPUT_LINES))) {
            if (!line.startsWith("{")) {
                continue;
            }
            try {
                JsonNode node = json.readTree(line);
                if (!"torch".equals(node.path("engine").asText())) {
                    continue;
                }
                version = node.path("torch").asText(version);
                blas = node.path("blas").asText(blas);
                Modality modality = Modality.valueOf(node.path("modality").asText().toUpperCase(java.util.Locale.ROOT));
                figures.add(new Figure(modality, node.path("batch").asInt(), node.path("itemsPerSecond").asDouble()));
            } catch (IOException | IllegalArgumentException e) {
                throw new TorchBaselineException("bench_torch.py printed a line that is not a figure: " + line);
            }
        }
        if (figures.isEmpty()) {
            throw new TorchBaselineException("bench_torch.py printed no figures");
        }
        return new Result(version, blas, figures);
    }

    private static String tail(String text) {
        return text.length() <= ERROR_TAIL_CHARS ? text.strip() : "..." + text.substring(text.length() - ERROR_TAIL_CHARS).strip();
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover temp file is harmless
            }
        }
    }

    /** The torch baseline could not be produced; the clipstream figures stand without it. */
    public static final class TorchBaselineException extends RuntimeException {
        public TorchBaselineException(String message) {
            super(message);
        }
    }
}
