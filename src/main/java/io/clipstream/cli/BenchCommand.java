package io.clipstream.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** `clipstream bench`: the group of benchmark commands; each measurement is a sub-command. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure performance; results belong in docs/BENCHMARKS.md with the machine and the command.",
        subcommands = {BenchEmbedCommand.class, BenchPipelineCommand.class, BenchIngestCommand.class, BenchKnnCommand.class,
                BenchWatchlistCommand.class, BenchDecodeCommand.class, BenchHttpCommand.class})
public final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
