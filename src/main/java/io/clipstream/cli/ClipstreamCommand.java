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

    // Inherited, so it goes anywhere on the line (`clipstream ingest --verbose ...`); ErrorReporter reads it.
    @CommandLine.Option(names = ErrorReporter.VERBOSE, scope = CommandLine.ScopeType.INHERIT,
            description = "On a failure, print the stack trace after the one-line message.")
    boolean verbose;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        io.clipstream.index.JVectorSetup.preferPanama();
        System.exit(newCommandLine().execute(args));
    }

    /** The command line, every failure reported by {@link ErrorReporter}: one line, a documented exit status. */
    public static CommandLine newCommandLine() {
        CommandLine cli = new CommandLine(new ClipstreamCommand());
        ErrorReporter errors = new ErrorReporter();
        cli.setExecutionExceptionHandler(errors);
        cli.setParameterExceptionHandler(errors);
        return cli;
    }
}
