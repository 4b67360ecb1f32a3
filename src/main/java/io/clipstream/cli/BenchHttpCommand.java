package io.clipstream.cli;

import io.clipstream.tools.bench.HttpOverloadBenchmark;
import io.clipstream.tools.bench.LatencySummary;
import io.clipstream.tools.bench.SyntheticSearchBackend;
import io.clipstream.encoders.ClipModel;
import io.clipstream.encoders.EncoderSettings;
import io.clipstream.http.HttpApi;
import io.clipstream.http.HttpLimits;
import io.clipstream.http.HttpTransport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * `clipstream bench http`: the HTTP API under overload and under slow clients, on the service's
 * server (Jetty, with its admission control and timeouts) beside the JDK server the API ran on
 * before (same routes, handlers and search backend), in the same run. Figures belong in
 * docs/RELIABILITY.md with the machine, the load average and this command.
 */
@Command(name = "http", mixinStandardHelpOptions = true,
        description = "Overload the REST search API: N clients searching back to back (every answer: 200, 503 with Retry-After, "
                + "or none), then slow connections trickling a header byte a second beside one ordinary client; on Jetty and on "
                + "the JDK server, same run.")
public final class BenchHttpCommand implements Callable<Integer> {

    @Option(names = "--clients", defaultValue = "500", description = "Concurrent searching clients (default ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--k", defaultValue = "1000", description = "Hits per search (default ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--seconds", defaultValue = "30", description = "Length of the overload phase per server (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--slow", defaultValue = "200", description = "Slow connections in the second phase; 0 skips it (default ${DEFAULT-VALUE}).")
    int slow;

    @Option(names = "--slow-seconds", defaultValue = "30", description = "Length of the slow-client phase per server (default ${DEFAULT-VALUE}).")
    int slowSeconds;

    @Option(names = "--slow-k", defaultValue = "10", description = "Hits per search of the ordinary client beside the slow ones (default ${DEFAULT-VALUE}).")
    int slowK;

    @Option(names = "--vectors", defaultValue = "20000", description = "Vectors the synthetic index scans per search (default ${DEFAULT-VALUE}).")
    int vectors;

    @Option(names = "--model", defaultValue = "models/default", description = "Model that embeds each query text (default ${DEFAULT-VALUE}).")
    Path model;

    @Option(names = "--servers", split = ",", defaultValue = "jdk,jetty", description = "Which servers, in order (default ${DEFAULT-VALUE}).")
    List<String> servers;

    @Option(names = "--search-concurrency", defaultValue = "0", description = "Jetty's http.search.max.concurrent (default ${DEFAULT-VALUE}: two per core).")
    int searchConcurrency;

    @Option(names = "--queue", defaultValue = "64", description = "Jetty's http.search.queue.size (default ${DEFAULT-VALUE}).")
    int queue;

    @Option(names = "--queue-timeout-ms", defaultValue = "1000", description = "Jetty's http.search.queue.timeout.ms (default ${DEFAULT-VALUE}).")
    long queueTimeoutMs;

    @Option(names = "--header-timeout-ms", defaultValue = "10000", description = "Jetty's http.header.timeout.ms (default ${DEFAULT-VALUE}).")
    long headerTimeoutMs;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        HttpLimits d = HttpLimits.DEFAULT;
        HttpLimits limits = new HttpLimits(searchConcurrency, queue, Duration.ofMillis(queueTimeoutMs), d.retryAfterSeconds(),
                d.maxConnections(), d.idleTimeout(), Duration.ofMillis(headerTimeoutMs), d.requestTimeout());
        try (ClipModel clip = ClipModel.open(EncoderSettings.cpu(model))) {
            HttpOverloadBenchmark bench = new HttpOverloadBenchmark(new SyntheticSearchBackend(clip, vectors, 14), limits);
            out.printf("bench http: %d cores, load average %.2f at start, model %s (d=%d), %d vectors scanned per search; "
                            + "Jetty: %d searches at once, queue %d, queue timeout %d ms, header timeout %d ms%n",
                    Runtime.getRuntime().availableProcessors(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                    clip.id(), clip.dimension(), vectors, limits.effectiveSearchConcurrency(), queue, queueTimeoutMs, headerTimeoutMs);
            out.flush();
            List<HttpOverloadBenchmark.Overload> overloads = new ArrayList<>();
            for (String server : servers) {
                HttpOverloadBenchmark.Overload result = bench.overload(server, transport(server), clients, k, Duration.ofSeconds(seconds));
                overloads.add(result);
                out.printf("%s overload done (load average %.2f)%n", server, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
                out.flush();
            }
            List<HttpOverloadBenchmark.SlowClients> slows = new ArrayList<>();
            if (slow > 0) {
                for (String server : servers) {
                    slows.add(bench.slowClients(server, transport(server), slow, slowK, Duration.ofSeconds(slowSeconds)));
                    out.printf("%s slow clients done (load average %.2f)%n", server,
                            ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
                    out.flush();
                }
            }
            out.println();
            out.printf("%d clients, k=%d, %d s each:%n%n", clients, k, seconds);
            out.println("| server | requests | 200 | 503 with Retry-After | 503 without | other status | no response | refused | "
                    + "200/s | admitted p50 / p99 ms |");
            out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            for (HttpOverloadBenchmark.Overload o : overloads) {
                out.printf("| %s | %d | %d | %d | %d | %d | %d | %.1f %% | %.1f | %s |%n", o.server(), o.requests(), o.ok(),
                        o.refusedWithRetryAfter(), o.refusedWithoutRetryAfter(), o.otherStatus(), o.noResponse(),
                        100 * o.refusedShare(), o.okPerSecond(), latency(o.admitted()));
            }
            for (HttpOverloadBenchmark.Overload o : overloads) {
                if (!o.firstProblems().isEmpty()) {
                    out.println(o.server() + " problems, first few: " + o.firstProblems());
                }
            }
            if (!slows.isEmpty()) {
                out.println();
                out.printf("%d connections trickling a header byte a second, one ordinary client searching (k=%d), %d s each:%n%n",
                        slow, slowK, slowSeconds);
                out.println("| server | slow connections closed by the server | ordinary searches | answered 200 | failed | p50 / p99 ms |");
                out.println("|---|---:|---:|---:|---:|---:|");
                for (HttpOverloadBenchmark.SlowClients s : slows) {
                    out.printf("| %s | %d of %d | %d | %d | %d | %s |%n", s.server(), s.slowClosedByServer(), s.slow(), s.searches(),
                            s.searchesOk(), s.searchesFailed(), latency(s.latency()));
                }
            }
            out.printf("%nload average at the end %.2f%n", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            out.flush();
        }
        return 0;
    }

    private static HttpTransport.Factory transport(String server) {
        return switch (server) {
            case "jetty" -> null;
            case "jdk" -> HttpApi.jdkServer();
            default -> throw new CommandLine.ParameterException(new CommandLine(new BenchHttpCommand()),
                    "--servers: '" + server + "' is neither jdk nor jetty");
        };
    }

    private static String latency(LatencySummary summary) {
        return summary == null ? "-" : String.format("%.0f / %.0f", summary.p50Ms(), summary.p99Ms());
    }
}
