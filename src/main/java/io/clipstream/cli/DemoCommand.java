package io.clipstream.cli;

import io.clipstream.config.Settings;
import io.clipstream.embedded.EmbeddedDemo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** `clipstream demo`: the whole system in one process, with a bundled model and corpus. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run everything embedded (Kafka broker, schema registry, embedder, index, responder) with the bundled "
                + "model and demo corpus, and serve search on http://localhost:PORT until stopped.")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "8080", description = "HTTP port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--model", description = "Model directory (default: models/default, else models/fixture-tiny).")
    Path model;

    @Option(names = "--data-dir", defaultValue = ".clipstream-cache/demo",
            description = "Where the embedded broker and state live; emptied at start (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, cuda, cuda:N or auto (default: ${DEFAULT-VALUE}).")
    String device;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * The demo is stopped by a person at a terminal, who should not wait more than 10 s (issue 19). Its applications
     * share 6 s to leave their groups and close their stores (under a second each when idle); the registry and the
     * broker take about one more.
     */
    static final Duration SERVICE_CLOSE = Duration.ofSeconds(6);
    static final Duration STOP_LIMIT = Duration.ofSeconds(9);

    @Override
    public Integer call() throws Exception {
        Path modelDir = defaultModel();
        if (!Files.isDirectory(modelDir)) {
            // Checked before the broker starts: that takes seconds, and the model's own check comes after it.
            throw new UserError("model directory " + modelDir + " does not exist. Give --model a clipstream model directory "
                    + "(models/fixture-tiny in a checkout) or run from the checkout's root");
        }
        Map<String, String> overrides = new HashMap<>();
        overrides.put(Settings.HTTP_PORT.key(), Integer.toString(port));
        overrides.put(Settings.MODEL_DIR.key(), modelDir.toString());
        overrides.put(Settings.DEVICE.key(), device);
        EmbeddedDemo demo = EmbeddedDemo.start(dataDir, overrides);
        try {
            demo.awaitReady(Duration.ofMinutes(2));
        } catch (InterruptedException | RuntimeException e) {
            demo.close(SERVICE_CLOSE);
            throw e;
        }
        // From here a stop closes everything first (StopSignals). Before, nothing runs in the model yet, and the JVM's
        // own handling ends a start-up at once; the next start empties --data-dir anyway.
        StopSignals signals = StopSignals.install();
        int items = demo.publishCorpus();
        var out = spec.commandLine().getOut();
        out.printf("clipstream demo is up: http://localhost:%d (%d demo images and captions indexed as they are embedded)%n", port, items);
        out.printf("  search:  curl -s localhost:%d/v1/search -H 'Content-Type: application/json' -d '{\"text\": \"a smiling face\", \"target\": \"IMAGE\", \"k\": 5}'%n", port);
        out.printf("  produce: Kafka at %s, schema registry at %s (topics media.images, media.captions)%n",
                demo.bootstrapServers(), demo.schemaRegistryUrl());
        out.println("Stop with Ctrl-C.");
        out.flush();
        String signal = signals.await();
        return new BoundedClose(spec.qualifiedName(" "), STOP_LIMIT).close(() -> demo.close(SERVICE_CLOSE), signal, out,
                spec.commandLine().getErr());
    }

    private Path defaultModel() {
        if (model != null) {
            return model;
        }
        Path trained = Path.of("models/default");
        return Files.isDirectory(trained) ? trained : Path.of("models/fixture-tiny");
    }
}
