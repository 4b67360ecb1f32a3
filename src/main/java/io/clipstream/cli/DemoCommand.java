package io.clipstream.cli;

import io.clipstream.config.ClipstreamConfig;
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
import java.util.concurrent.CountDownLatch;

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

    @Override
    public Integer call() throws Exception {
        Path modelDir = defaultModel();
        if (!Files.isDirectory(modelDir)) {
            // Checked before the broker starts: that takes seconds, and the model's own check comes after it.
            throw new UserError("model directory " + modelDir + " does not exist. Give --model a clipstream model directory "
                    + "(models/fixture-tiny in a checkout) or run from the checkout's root");
        }
        Map<String, String> overrides = new HashMap<>();
        overrides.put(ClipstreamConfig.HTTP_PORT, Integer.toString(port));
        overrides.put(ClipstreamConfig.MODEL_DIR, modelDir.toString());
        overrides.put(ClipstreamConfig.DEVICE, device);
        EmbeddedDemo demo = EmbeddedDemo.start(dataDir, overrides);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                demo.close();
            } catch (Exception e) {
                System.err.println("shutting down: " + e);
            } finally {
                stopped.countDown();
            }
        }, "clipstream-demo-shutdown"));
        demo.awaitReady(Duration.ofMinutes(2));
        int items = demo.publishCorpus();
        var out = spec.commandLine().getOut();
        out.printf("clipstream demo is up: http://localhost:%d (%d demo images and captions indexed as they are embedded)%n", port, items);
        out.printf("  search:  curl -s localhost:%d/v1/search -H 'Content-Type: application/json' -d '{\"text\": \"a smiling face\", \"target\": \"IMAGE\", \"k\": 5}'%n", port);
        out.printf("  produce: Kafka at %s, schema registry at %s (topics media.images, media.captions)%n",
                demo.bootstrapServers(), demo.schemaRegistryUrl());
        out.println("Stop with Ctrl-C.");
        out.flush();
        stopped.await();
        return 0;
    }

    private Path defaultModel() {
        if (model != null) {
            return model;
        }
        Path trained = Path.of("models/default");
        return Files.isDirectory(trained) ? trained : Path.of("models/fixture-tiny");
    }
}
