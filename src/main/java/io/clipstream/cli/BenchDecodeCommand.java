package io.clipstream.cli;

import io.clipstream.tools.bench.DecodeBenchmark;
import io.clipstream.schemaregistry.HttpSchemaRegistryClient;
import io.clipstream.schemaregistry.InProcessSchemaRegistry;
import io.clipstream.schemaregistry.SchemaRegistryConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * `clipstream bench decode`: what one vector record costs between the vector topic and the index, before issue 15
 * (decoded, re-encoded and decoded again, through {@code List<Float>}) and now (read once into {@code float[]}), in the
 * same run. Schemas come from an in-process registry; its client caches them, so no request is timed.
 */
@Command(name = "decode", mixinStandardHelpOptions = true,
        description = "Benchmark the index's decoding of vector records: records/s on one thread for the path before "
                + "issue 15 (decode, re-encode, decode again) against one read into float[].")
public final class BenchDecodeCommand implements Callable<Integer> {

    @Option(names = "--records", defaultValue = "10000", description = "Distinct records cycled through (default ${DEFAULT-VALUE}).")
    int records;

    @Option(names = "--dim", defaultValue = "512", description = "Dimension (default ${DEFAULT-VALUE}).")
    int dim;

    @Option(names = "--seconds", defaultValue = "3", description = "CPU seconds per path, after a warm-up of a fifth of it, at least 1 s (default ${DEFAULT-VALUE}).")
    double seconds;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<DecodeBenchmark.Row> rows;
        long sink;
        try (InProcessSchemaRegistry registry = new InProcessSchemaRegistry();
             HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(SchemaRegistryConfig.of(registry.url().toString()))) {
            DecodeBenchmark bench = new DecodeBenchmark(client, seconds);
            rows = bench.run(records, dim);
            sink = bench.sink();
        }
        double before = rows.get(0).recordsPerSecond();
        out.println("Vector records of d=" + dim + " (" + records + " distinct), one thread, CPU time (bench sink " + sink + ")");
        out.println();
        out.println("| path | us/record | records/s | vs before |");
        out.println("|---|---|---|---|");
        for (DecodeBenchmark.Row row : rows) {
            out.printf("| %s | %.2f | %,.0f | %.1fx |%n", row.path(), row.microsPerRecord(), row.recordsPerSecond(),
                    row.recordsPerSecond() / before);
        }
        out.flush();
        return 0;
    }
}
