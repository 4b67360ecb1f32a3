package io.clipstream.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `clipstream` launcher: one runnable jar, one sub-command per job. */
@Command(name = "clipstream",
        mixinStandardHelpOptions = true,
        version = "clipstream 0.1.0",
        description = "Streaming cross-modal search on Kafka Streams.",
        subcommands = {EmbedCommand.class, TokenizeCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class ClipstreamCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    public static CommandLine newCommandLine() {
        return new CommandLine(new ClipstreamCommand());
    }
}
