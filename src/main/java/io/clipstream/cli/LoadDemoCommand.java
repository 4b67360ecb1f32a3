package io.clipstream.cli;

import io.clipstream.config.ClipstreamConfig;
import io.clipstream.config.ConfigSource;
import io.clipstream.embedded.DemoCorpusLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** `clipstream load-demo`: publishes the bundled demo corpus to a real cluster (docker/compose.yaml's loader). */
@Command(name = "load-demo", mixinStandardHelpOptions = true,
        description = "Publish the demo corpus bundled in the jar (one image event and one caption event per item) to the "
                + "Kafka cluster and schema registry configured like `serve` (properties file and CLIPSTREAM_* variables), "
                + "creating the topics first when topics.create is on. Publishing again overwrites the same ids.")
public final class LoadDemoCommand implements Callable<Integer> {

    @Option(names = "--config", description = "A properties file (optional: environment variables alone also work).")
    Path config;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ConfigSource source = config == null ? ConfigSource.fromEnvironment() : ConfigSource.load(config, System.getenv());
        ClipstreamConfig settings = ClipstreamConfig.from(source);
        int items = DemoCorpusLoader.load(settings);
        spec.commandLine().getOut().printf("published %d demo images to %s and %d captions to %s%n", items,
                settings.topics().images(), items, settings.topics().captions());
        return 0;
    }
}
