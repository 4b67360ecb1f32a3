package io.clipstream.cli;

import io.clipstream.config.ClipstreamConfig;
import io.clipstream.config.ConfigSource;
import io.clipstream.service.ClipstreamService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** `clipstream serve`: runs against a real Kafka cluster and schema registry. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run clipstream against a Kafka cluster and a Confluent-compatible schema registry. Settings come from "
                + "the properties file and CLIPSTREAM_* environment variables (which win); see docs/OPERATIONS.md.")
public final class ServeCommand implements Callable<Integer> {

    @Option(names = "--config", description = "A properties file (optional: environment variables alone also work).")
    Path config;

    @Override
    public Integer call() throws Exception {
        ConfigSource source = config == null ? ConfigSource.fromEnvironment() : ConfigSource.load(config, System.getenv());
        ClipstreamService service = ClipstreamService.start(ClipstreamConfig.from(source));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stopped.countDown();
        }, "clipstream-shutdown"));
        stopped.await();
        return 0;
    }
}
