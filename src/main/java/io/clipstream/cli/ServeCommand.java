package io.clipstream.cli;

import io.clipstream.config.ClipstreamConfig;
import io.clipstream.config.ConfigSource;
import io.clipstream.service.ClipstreamService;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** `clipstream serve`: runs against a real Kafka cluster and schema registry. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run clipstream against a Kafka cluster and a Confluent-compatible schema registry. Settings come from "
                + "the properties file and CLIPSTREAM_* environment variables (which win); see docs/OPERATIONS.md.")
public final class ServeCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", description = "A properties file (optional: environment variables alone also work).")
    Path config;

    @Override
    public Integer call() throws Exception {
        ConfigSource source = config == null ? ConfigSource.fromEnvironment() : ConfigSource.load(config, System.getenv());
        ClipstreamService service = ClipstreamService.start(ClipstreamConfig.from(source));
        // A stop closes everything before the JVM's shutdown hooks run (see StopSignals).
        String signal = StopSignals.install().await();
        // CLOSE_TIMEOUT bounds the applications; the rest (HTTP, clients, the model) closes in moments.
        return new BoundedClose(spec.qualifiedName(" "), ClipstreamService.CLOSE_TIMEOUT.plusSeconds(5))
                .close(service, signal, spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
