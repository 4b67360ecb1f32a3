package io.clipstream.tools.bench;

import java.util.List;
import java.util.Locale;

/**
 * Everything one `clipstream bench pipeline` run measured, with what it ran on; printed as a table
 * or as one JSON object (Jackson writes records as they are).
 */
public record PipelineBenchReport(Environment environment, String model, int dimension, int partitions,
                                  List<IngestFigure> ingest, List<CatchUpFigure> catchUp,
                                  List<SearchLatencyFigure> searchLatency, List<RestartFigure> restarts,
                                  List<String> notes) {

    public PipelineBenchReport {
        ingest = List.copyOf(ingest);
        catchUp = List.copyOf(catchUp);
        searchLatency = List.copyOf(searchLatency);
        restarts = List.copyOf(restarts);
        notes = List.copyOf(notes);
    }

    /** Where the figures come from, since they mean little without it. */
    public record Environment(int processors, String jdk, String os, long maxHeapMb) {

        static Environment current() {
            return new Environment(Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.vm.vendor") + " " + Runtime.version(),
                    System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                    Runtime.getRuntime().maxMemory() / (1024 * 1024));
        }
    }

    public String table() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "clipstream bench pipeline: model %s (%d-d), %d partitions; %d processors, %s, max heap %d MB%n",
                model, dimension, partitions, environment.processors(), environment.jdk(), environment.maxHeapMb()));
        out.append(String.format(Locale.ROOT, "%nTopic to searchable%n"));
        out.append(String.format(Locale.ROOT, "%-8s %-22s %12s %8s %11s %14s %10s%n",
                "input", "model", "index before", "items", "produce s", "searchable s", "items/s"));
        for (IngestFigure f : ingest) {
            out.append(String.format(Locale.ROOT, "%-8s %-22s %12d %8d %11.2f %14.2f %10.1f%n",
                    f.input(), f.model(), f.indexSizeBefore(), f.items(), f.produceSeconds(), f.searchableSeconds(), f.perSecond()));
        }
        out.append(String.format(Locale.ROOT, "%nBackground work after each vector step, and searches meanwhile%n"));
        out.append(String.format(Locale.ROOT, "%10s %10s %12s %9s %9s %9s %8s%n",
                "vectors", "graphs s", "caught up s", "searches", "p50 ms", "p99 ms", "failed"));
        for (CatchUpFigure f : catchUp) {
            LatencySummary d = f.duringLoad();
            out.append(String.format(Locale.ROOT, "%10d %10.1f %12.1f %9d %9.2f %9.2f %8d%n", f.indexSize(), f.graphsSeconds(),
                    f.caughtUpSeconds(), d == null ? 0 : d.count(), d == null ? Double.NaN : d.p50Ms(),
                    d == null ? Double.NaN : d.p99Ms(), f.failedOrPartial()));
        }
        out.append(String.format(Locale.ROOT, "%nREST text search, one client, sequential%n"));
        out.append(String.format(Locale.ROOT, "%10s %4s %8s %9s %9s %9s %9s %14s %9s%n",
                "vectors", "k", "queries", "p50 ms", "p99 ms", "mean ms", "max ms", "tookMs p50", "heap MB"));
        for (SearchLatencyFigure f : searchLatency) {
            LatencySummary c = f.client();
            out.append(String.format(Locale.ROOT, "%10d %4d %8d %9.2f %9.2f %9.2f %9.2f %14.1f %9d%n",
                    f.indexSize(), f.k(), c.count(), c.p50Ms(), c.p99Ms(), c.meanMs(), c.maxMs(), f.serverTookMsP50(), f.heapUsedMb()));
        }
        for (RestartFigure f : restarts) {
            out.append(String.format(Locale.ROOT, "%nRestart on the state directory with %d vectors: stop %.1f s, ready %.1f s "
                            + "after start; %d of %d item searches identical; recall@10 %.3f before, %.3f after%n", f.indexSize(),
                    f.stopSeconds(), f.readySeconds(), f.identicalAnswers(), f.probes(), f.recallBefore(), f.recallAfter()));
        }
        if (!notes.isEmpty()) {
            out.append(String.format(Locale.ROOT, "%n"));
            notes.forEach(note -> out.append("note: ").append(note).append(String.format(Locale.ROOT, "%n")));
        }
        return out.toString();
    }
}
