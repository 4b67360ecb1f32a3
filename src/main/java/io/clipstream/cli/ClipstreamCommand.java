package io.clipstream.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `clipstream` launcher: one runnable jar, one sub-command per job. */
@Command(name = "clipstream",
        mixinStandardHelpOptions = true,
        version = "clipstream 0.1.0",
        description = "Streaming cross-modal search on Kafka Streams.",
        subcommands = {DemoCommand.class, ServeCommand.class, EmbedCommand.class, EmbedTextsCommand.class, EvaluateCommand.class,
                EvaluateTagsCommand.class, IngestCommand.class, TokenizeCommand.class, BenchCommand.class,
                CommandLine.HelpCommand.class, ConfigReferenceCommand.class, LoadDemoCommand.class})
public final class ClipstreamCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        io.clipstream.index.JVectorSetup.preferPanama();
        System.exit(newCommandLine().execute(args));
    }

    /** The command line, with configuration and start-up errors shown as one clear line, not a stack trace. */
    public static CommandLine newCommandLine() {
        CommandLine cli = new CommandLine(new ClipstreamCommand());
        cli.setExecutionExceptionHandler((exception, commandLine, parseResult) -> {
            if (exception instanceof io.clipstream.config.ConfigException
                    || exception instanceof io.clipstream.common.ModelLoadException) {
                commandLine.getErr().println("clipstream: " + exception.getMessage());
                return 2;
            }
            throw exception;
        });
        return cli;
    }
}
