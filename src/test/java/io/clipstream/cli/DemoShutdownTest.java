package io.clipstream.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `clipstream demo` in its own JVM, with the jar's logging configuration, stopped by SIGTERM (ProcessHandle.destroy on
 * Linux) right after it says it is up, while it still embeds its corpus: the moment a stop used to crash in ONNX
 * Runtime or wait out Kafka Streams' close. Issue 19 asks for an exit within 10 s with everything closed; that bound
 * is what this test holds it to. One start (about 10 s on two cores), since starting is the expensive part.
 */
class DemoShutdownTest {

    @TempDir
    Path dir;

    @Test
    void sigtermEndsTheDemoWithinTenSecondsWithEverythingClosed() throws Exception {
        int port = freePort();
        Process demo = launch(port);
        List<String> stdout = new CopyOnWriteArrayList<>();
        CountDownLatch up = new CountDownLatch(1);
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    stdout.add(line);
                    if (line.startsWith("clipstream demo is up")) {
                        up.countDown();
                    }
                }
            } catch (IOException e) {
                // the process is gone; the assertions below say what it printed
            }
        });
        try {
            boolean started = up.await(3, TimeUnit.MINUTES) && demo.isAlive();
            assertTrue(started, "the demo did not come up:\n" + String.join("\n", stdout) + "\n" + stderr());

            long signalled = System.nanoTime();
            // SIGTERM through the handle: Process.destroy() would also close our end of its stdout, and its last line
            // (the one saying everything closed) would be lost.
            demo.toHandle().destroy();
            boolean exited = demo.waitFor(10, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - signalled) / 1e9;
            assertTrue(exited, "still running 10 s after SIGTERM; stderr:\n" + stderr());
            reader.join(5_000);

            assertEquals(0, demo.exitValue(), "a stop by SIGTERM is a clean end; stderr:\n" + stderr());
            assertTrue(stdout.stream().anyMatch(line -> line.startsWith("clipstream demo stopped (SIGTERM): everything closed")),
                    "exited " + seconds + " s after SIGTERM, but said:\n" + String.join("\n", stdout) + "\nstderr:\n" + stderr());
            String err = stderr();
            assertFalse(err.contains("\tat "), "no stack trace:\n" + err);
            assertFalse(err.contains("A fatal error has been detected"), err);
            assertFalse(err.contains("CudaUtils"), "no GPU probe warnings on a CPU demo:\n" + err);
            try (ServerSocket again = new ServerSocket(port)) {
                assertEquals(port, again.getLocalPort(), "the HTTP port is free again");
            }
        } finally {
            demo.destroyForcibly();
        }
    }

    private Process launch(int port) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String classpath = "target/classes" + File.pathSeparator + System.getProperty("java.class.path");
        ProcessBuilder builder = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "--add-modules",
                "jdk.incubator.vector", "-Xmx768m", "-XX:ErrorFile=" + dir.resolve("hs_err_%p.log"),
                // The jar's configuration, not the tests' (logback-test.xml is on this classpath too).
                "-Dlogback.configurationFile=src/main/resources/logback.xml",
                "-DOPT_OUT_TRACKING=true", "-DDJL_CACHE_DIR=target/djl-cache", "-DENGINE_CACHE_DIR=target/djl-cache",
                "-cp", classpath, "io.clipstream.cli.ClipstreamCommand", "demo", "--port", Integer.toString(port),
                "--model", "models/fixture-tiny", "--data-dir", dir.resolve("demo").toString());
        builder.environment().keySet().removeIf(name -> name.startsWith("CLIPSTREAM_"));
        builder.redirectError(dir.resolve("stderr.txt").toFile());
        return builder.start();
    }

    private String stderr() throws IOException {
        Path file = dir.resolve("stderr.txt");
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
