package io.clipstream.tools.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything one {@code clipstream bench ingest} run measured, with what it ran on; printed as a
 * table or as one JSON object (Jackson writes records as they are).
 *
 * @param preparation  the preparation stage alone, per thread count
 * @param embedBaseline {@code bench embed}'s image figures at the same batch size, or null when not measured
 * @param phases       topic-to-searchable phases
 * @param ratios       the comparisons the run was made for, each named
 */
public record IngestBenchReport(PipelineBenchReport.Environment environment, String model, int batch, int partitions,
                                long latencyMs, int warmup, List<PreparationFigure> preparation, EmbedBaseline embedBaseline,
                                List<IngestPhase> phases, List<Ratio> ratios, List<String> notes) {

    /** Images/s of the preparation stage alone on {@code threads} threads, and its CPU time per image. */
    public record PreparationFigure(int threads, double imagesPerSecond, double cpuMsPerImage) {
    }

    /** {@code bench embed}'s image figures: the model call alone and decode + preprocess + model on one thread. */
    public record EmbedBaseline(int batch, double modelOnlyPerSecond, double endToEndPerSecond) {
    }

    /** {@code numerator / denominator}, as named. */
    public record Ratio(String what, double value) {
    }

    public IngestBenchReport {
        preparation = List.copyOf(preparation);
        phases = List.copyOf(phases);
        ratios = List.copyOf(ratios);
        notes = List.copyOf(notes);
    }

    public String table() {
        StringBuilder out = new StringBuilder();
        line(out, "clipstream bench ingest: model %s, batch %d, %d partitions, image server latency %d ms; %d processors, %s, max heap %d MB",
                model, batch, partitions, latencyMs, environment.processors(), environment.jdk(), environment.maxHeapMb());
        if (!preparation.isEmpty()) {
            line(out, "");
            line(out, "Preparation alone (decode, preprocess, thumbnail), batches of %d", batch);
            line(out, "%8s %10s %14s", "threads", "images/s", "CPU ms/image");
            preparation.forEach(p -> line(out, "%8d %10.1f %14.2f", p.threads(), p.imagesPerSecond(), p.cpuMsPerImage()));
        }
        if (embedBaseline != null) {
            line(out, "");
            line(out, "bench embed at batch %d: model only %.2f images/s, end to end (decode + preprocess, then the model, one thread) %.2f images/s",
                    embedBaseline.batch(), embedBaseline.modelOnlyPerSecond(), embedBaseline.endToEndPerSecond());
        }
        line(out, "");
        line(out, "Topic to searchable, after %d warm-up events per phase", warmup);
        line(out, "%-10s %-7s %7s %10s %13s %9s %11s %8s", "embedder", "source", "images", "produce s", "searchable s", "images/s",
                "model batch", "fetches");
        for (IngestPhase p : phases) {
            line(out, "%-10s %-7s %7d %10.2f %13.2f %9.2f %11.1f %8d", p.embedder(), p.source().name().toLowerCase(Locale.ROOT), p.images(),
                    p.produceSeconds(), p.searchableSeconds(), p.perSecond(), p.modelCalls() == 0 ? 0.0 : (double) p.images() / p.modelCalls(),
                    p.fetches());
        }
        for (IngestPhase p : phases) {
            line(out, "");
            line(out, "Where the time went, %s %s (%.1f CPU-seconds there were: %.2f s x %d processors)", p.embedder(),
                    p.source().name().toLowerCase(Locale.ROOT), p.wallCpuSeconds(), p.searchableSeconds(), environment.processors());
            line(out, "  %-52s %10s %12s", "embedder stage (wall time summed over threads)", "seconds", "ms/image");
            stages(out, p.stages(), p.images());
            line(out, "  %-52s %10s %12s", "CPU by thread group", "seconds", "ms/image");
            stages(out, p.cpuSeconds(), p.images());
        }
        if (!ratios.isEmpty()) {
            line(out, "");
            line(out, "Ratios");
            ratios.forEach(r -> line(out, "  %-70s %6.2f", r.what(), r.value()));
        }
        if (!notes.isEmpty()) {
            line(out, "");
            notes.forEach(note -> line(out, "note: %s", note));
        }
        return out.toString();
    }

    private static void stages(StringBuilder out, Map<String, Double> seconds, int images) {
        seconds.forEach((name, s) -> line(out, "  %-52s %10.2f %12.2f", name, s, s * 1000 / images));
    }

    private static void line(StringBuilder out, String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append(System.lineSeparator());
    }
}
