package io.clipstream.tools.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes a benchmark model by running a Python script ({@code python script OUT_DIR}); benchmark
 * models are built where they are used, never committed.
 */
public final class ModelScript {

    private static final long TIMEOUT_MINUTES = 15;
    private static final int ERROR_TAIL_CHARS = 2000;

    private final Path python;
    private final Path script;

    public ModelScript(Path python, Path script) {
        this.python = python;
        this.script = script;
    }

    public String command(Path outDir) {
        return python + " " + script + " " + outDir;
    }

    public void run(Path outDir) {
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException(script + " not found: run from a clipstream checkout, or make the model elsewhere "
                    + "and pass its directory with --model");
        }
        Path log = null;
        try {
            log = Files.createTempFile("clipstream-bench-model", ".log");
            Process process = new ProcessBuilder(List.of(python.toString(), script.toString(), outDir.toString()))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(command(outDir) + " did not finish within " + TIMEOUT_MINUTES + " minutes");
            }
            if (process.exitValue() != 0) {
                String output = Files.readString(log, StandardCharsets.UTF_8);
                throw new IllegalStateException(command(outDir) + " exited with " + process.exitValue() + ": "
                        + (output.length() > ERROR_TAIL_CHARS ? "..." + output.substring(output.length() - ERROR_TAIL_CHARS) : output).strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command(outDir) + ": " + e.getMessage()
                    + "; pass --python with an interpreter that has torch and onnx", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making the benchmark model", e);
        } finally {
            if (log != null) {
                try {
                    Files.deleteIfExists(log);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless
                }
            }
        }
    }
}
