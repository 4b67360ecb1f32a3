package io.clipstream.tools.bench;

import io.clipstream.tools.bench.IngestBenchSettings.ImageSource;
import io.clipstream.common.ProgressBars;
import io.clipstream.config.Settings;
import io.clipstream.embedded.EmbeddedDemo;
import io.clipstream.encoders.ClipModel;
import io.clipstream.encoders.DeviceRequest;
import io.clipstream.encoders.EncoderSettings;
import io.clipstream.encoders.ModelLoader;
import io.clipstream.encoders.ModelSpec;
import io.clipstream.encoders.image.DecodeLimits;
import io.clipstream.schema.ImageEvent;
import io.clipstream.serde.AvroSerdes;
import io.clipstream.topology.EmbedderStage;
import io.clipstream.topology.StageTimes;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code clipstream bench ingest}: how fast image events become searchable through the whole
 * embedded stack (KRaft broker, schema registry, clipstream with every role), with images sent
 * inline and by URL from a local image server that answers after a set latency (loopback allowed
 * for it through {@code fetch.allowed.hosts}), with the pipelined embedder and, in a second stack,
 * the serial one ({@code embedder.prepare.threads=0}); and, in the same run, the preparation stage
 * alone at a few thread counts and {@code bench embed}'s image figures at the same batch size. Each
 * phase times the images after a warm-up, from the first send until every one answers
 * {@code GET /v1/items/{id}}, and splits the time by embedder stage and by thread group.
 */
public final class IngestBenchmark {

    static final Duration POLL = Duration.ofMillis(20);
    static final Duration STARTUP = Duration.ofMinutes(3);
    /** The photo-sized images {@code bench embed} decodes: 8 JPEG and 8 PNG, 512 to 800 pixels a side. */
    static final int GENERATED_IMAGES = EmbedBenchSettings.GENERATED_IMAGES;

    private final IngestBenchSettings settings;
    private final Consumer<String> progress;
    private final ProgressBars bars;

    public IngestBenchmark(IngestBenchSettings settings, Consumer<String> progress, ProgressBars bars) {
        this.settings = settings;
        this.progress = progress;
        this.bars = bars;
    }

    public IngestBenchReport run() throws Exception {
        ModelSpec spec = ModelLoader.load(settings.model(), "auto");
        List<BenchImage> images = settings.imagesDir().map(SyntheticImages::readDirectory)
                .orElseGet(() -> SyntheticImages.generate(GENERATED_IMAGES, EmbedBenchSettings.IMAGE_SEED));
        List<String> notes = new ArrayList<>();
        List<IngestBenchReport.PreparationFigure> preparation = new ArrayList<>();
        IngestBenchReport.EmbedBaseline baseline = null;
        if (!settings.prepareThreads().isEmpty() || settings.embedBaseline()) {
            ThroughputMeter meter = new ThroughputMeter(settings.baselineBudget());
            try (ClipModel model = ClipModel.open(new EncoderSettings(settings.model(), "auto", DeviceRequest.CPU, false,
                    Runtime.getRuntime().availableProcessors(), settings.batch(), DecodeLimits.DEFAULT))) {
                for (int threads : settings.prepareThreads()) {
                    progress.accept("timing the preparation stage alone on " + threads + " thread(s)");
                    PreparationBenchmark.Figure figure = new PreparationBenchmark(meter).measure(model, images, threads, settings.batch());
                    preparation.add(new IngestBenchReport.PreparationFigure(threads, figure.throughput().itemsPerSecond(),
                            figure.cpuMsPerImage()));
                }
                if (settings.embedBaseline()) {
                    progress.accept("timing bench embed's image figures at batch " + settings.batch());
                    EmbedBenchmark embed = new EmbedBenchmark(meter);
                    List<io.clipstream.encoders.PreparedImage> pixels = images.stream()
                            .map(i -> model.image().prepare(i.bytes(), i.name())).toList();
                    double modelOnly = embed.imageModelOnly(model, pixels, settings.batch()).itemsPerSecond();
                    double endToEnd = embed.imageEndToEnd(model, images, settings.batch()).itemsPerSecond();
                    baseline = new IngestBenchReport.EmbedBaseline(settings.batch(), modelOnly, endToEnd);
                }
            }
        }
        List<IngestPhase> phases = new ArrayList<>();
        try (ImageServer server = new ImageServer(images, settings.latency())) {
            Map<String, String> serial = Map.of(Settings.EMBEDDER_PREPARE_THREADS.key(), "0",
                    Settings.EMBEDDER_BATCHES_IN_FLIGHT.key(), "0");
            if (settings.jitWarmup() > 0) {
                List<ImageSource> all = new ArrayList<>(settings.pipelined());
                settings.serial().stream().filter(source -> !all.contains(source)).forEach(all::add);
                progress.accept("warming the JVM up: " + settings.jitWarmup() + " events of each source through a throwaway stack");
                runStack("jit-warmup", Map.of(), all, images, server, settings.jitWarmup(), 0);
            }
            if (settings.serialFirst() && !settings.serial().isEmpty()) {
                phases.addAll(measureStack("serial", serial, settings.serial(), images, server));
            }
            if (!settings.pipelined().isEmpty()) {
                phases.addAll(measureStack("pipelined", Map.of(), settings.pipelined(), images, server));
            }
            if (!settings.serialFirst() && !settings.serial().isEmpty()) {
                phases.addAll(measureStack("serial", serial, settings.serial(), images, server));
            }
        }
        notes.add(images.size() + " distinct images cycled (" + (settings.imagesDir().isPresent() ? settings.imagesDir().get()
                : "generated as bench embed does: 8 JPEG, 8 PNG, 512-800 px a side") + "); every event has its own id and URL");
        notes.add("tagging off (tagging.labels.file empty), so that the model call is the one bench embed times; "
                + "fetch.allowed.hosts=127.0.0.1/32 lets the embedder fetch from the local image server");
        notes.add("stage seconds are summed over the threads that ran them: fetches overlap (most of it is waiting for the "
                + "server), so theirs can exceed the phase; image_model is the model worker's wall time in ONNX Runtime calls");
        notes.add(settings.jitWarmup() > 0 ? settings.jitWarmup() + " events of each source went through a throwaway stack first, "
                + "so every timed stack started from the same JIT-compiled JVM"
                : (settings.serialFirst() ? "the serial stack ran first" : "the pipelined stack ran first")
                + ": the first stack in the JVM pays for most of the JIT compiling (see the JIT line of each phase)");
        if (!settings.overrides().isEmpty()) {
            notes.add("settings given with --set: " + settings.overrides());
        }
        return new IngestBenchReport(PipelineBenchReport.Environment.current(), spec.id(), settings.batch(), settings.partitions(),
                settings.latency().toMillis(), settings.warmup(), preparation, baseline, phases, ratios(phases, baseline), notes);
    }

    private List<IngestPhase> measureStack(String embedder, Map<String, String> mode, List<ImageSource> sources, List<BenchImage> images,
                                           ImageServer server) throws Exception {
        return runStack(embedder, mode, sources, images, server, settings.warmup(), settings.images());
    }

    /** One stack: per source, {@code warmup} untimed events, then {@code timed} timed ones (none when 0). */
    private List<IngestPhase> runStack(String embedder, Map<String, String> mode, List<ImageSource> sources, List<BenchImage> images,
                                       ImageServer server, int warmup, int timed) throws Exception {
        Map<String, String> overrides = new HashMap<>();
        overrides.put(Settings.MODEL_DIR.key(), settings.model().toString());
        overrides.put(Settings.HTTP_PORT.key(), Integer.toString(settings.httpPort()));
        overrides.put(Settings.HTTP_HOST.key(), "127.0.0.1");
        overrides.put("topics.partitions", Integer.toString(settings.partitions()));
        overrides.put(Settings.EMBEDDER_BATCH_SIZE.key(), Integer.toString(settings.batch()));
        overrides.put(Settings.ENCODER_BATCH_MAX.key(), Integer.toString(settings.batch()));
        overrides.put(Settings.FETCH_ALLOWED_HOSTS.key(), "127.0.0.1/32");
        overrides.put(Settings.TAGGING_LABELS_FILE.key(), "");
        overrides.putAll(settings.overrides());
        overrides.putAll(mode);
        progress.accept("starting the embedded stack with the " + embedder + " embedder (" + settings.model() + ")");
        List<IngestPhase> phases = new ArrayList<>();
        try (EmbeddedDemo demo = EmbeddedDemo.start(settings.dataDir().resolve(embedder), overrides)) {
            demo.awaitReady(STARTUP);
            try (BenchRestClient rest = new BenchRestClient(settings.httpPort());
                 BenchProducer producer = new BenchProducer(demo.bootstrapServers(), demo.schemaRegistryUrl())) {
                SearchableWatcher watcher = new SearchableWatcher(rest, POLL, settings.timeout());
                for (ImageSource source : sources) {
                    String prefix = embedder + "-" + source.name().toLowerCase(Locale.ROOT);
                    if (warmup > 0) {
                        progress.accept(prefix + ": " + warmup + " warm-up events");
                        phase(demo, producer, watcher, server, embedder, source, events(prefix + "-warm", warmup, source,
                                images, server), "warm-up");
                    }
                    if (timed == 0) {
                        continue;
                    }
                    progress.accept(prefix + ": " + timed + " timed events");
                    IngestPhase phase = phase(demo, producer, watcher, server, embedder, source,
                            events(prefix, timed, source, images, server), "timed");
                    progress.accept(String.format(Locale.ROOT, "%s: %.2f images/s (%d in %.2f s)", prefix, phase.perSecond(),
                            phase.images(), phase.searchableSeconds()));
                    phases.add(phase);
                }
            }
        }
        return phases;
    }

    private IngestPhase phase(EmbeddedDemo demo, BenchProducer producer, SearchableWatcher watcher, ImageServer server, String embedder,
                              ImageSource source, List<ImageEvent> events, String what) {
        StageTimes times = demo.service().embedderTimes();
        Map<EmbedderStage, StageTimes.Total> stagesBefore = times.snapshot();
        CpuSample cpuBefore = CpuSample.now();
        int fetchesBefore = server.requests();
        ProducedRecords produced = producer.send(demo.config().topics().images(), events, ImageEvent::getId, AvroSerdes::imageEvent,
                bars.start(what + ": sending", events.size(), "images"));
        long searchable = watcher.awaitEvery(produced.idsByPartition(), events.size() + " " + what + " image events",
                bars.start(what + ": indexing", events.size(), "images"));
        CpuSample cpuAfter = CpuSample.now();
        Map<EmbedderStage, StageTimes.Total> stages = StageTimes.since(stagesBefore, times.snapshot());
        IngestFigure figure = IngestFigure.of("images", "", 0, produced, searchable, produced.count());
        Map<String, Double> stageSeconds = new LinkedHashMap<>();
        for (EmbedderStage stage : List.of(EmbedderStage.FETCH, EmbedderStage.DECODE, EmbedderStage.PREPROCESS, EmbedderStage.THUMBNAIL,
                EmbedderStage.IMAGE_MODEL)) {
            stageSeconds.put(stage.label(), stages.get(stage).seconds());
        }
        int processors = Runtime.getRuntime().availableProcessors();
        return new IngestPhase(embedder, source, figure.items(), figure.produceSeconds(), figure.searchableSeconds(), figure.perSecond(),
                stageSeconds, stages.get(EmbedderStage.IMAGE_MODEL).calls(), cpuAfter.secondsSince(cpuBefore),
                figure.searchableSeconds() * processors, server.requests() - fetchesBefore);
    }

    /** {@code count} events {@code prefix-NNNNN}, cycling through the images, as bytes or as URLs of the local server. */
    static List<ImageEvent> events(String prefix, int count, ImageSource source, List<BenchImage> images, ImageServer server) {
        List<ImageEvent> events = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            int image = n % images.size();
            ImageEvent.Builder event = ImageEvent.newBuilder().setId(String.format(Locale.ROOT, "%s-%05d", prefix, n)).setTenant("bench");
            if (source == ImageSource.INLINE) {
                event.setBytes(ByteBuffer.wrap(images.get(image).bytes()));
            } else {
                event.setUrl(server.url(image, n));
            }
            events.add(event.build());
        }
        return events;
    }

    /** The comparisons the issue asks for, where both sides were measured. */
    static List<IngestBenchReport.Ratio> ratios(List<IngestPhase> phases, IngestBenchReport.EmbedBaseline baseline) {
        List<IngestBenchReport.Ratio> ratios = new ArrayList<>();
        IngestPhase inline = find(phases, "pipelined", ImageSource.INLINE);
        IngestPhase url = find(phases, "pipelined", ImageSource.URL);
        IngestPhase serialInline = find(phases, "serial", ImageSource.INLINE);
        IngestPhase serialUrl = find(phases, "serial", ImageSource.URL);
        if (inline != null && url != null) {
            ratios.add(new IngestBenchReport.Ratio("URL / inline images/s, pipelined", url.perSecond() / inline.perSecond()));
        }
        if (serialInline != null && serialUrl != null) {
            ratios.add(new IngestBenchReport.Ratio("URL / inline images/s, serial", serialUrl.perSecond() / serialInline.perSecond()));
        }
        if (inline != null && serialInline != null) {
            ratios.add(new IngestBenchReport.Ratio("pipelined / serial images/s, inline", inline.perSecond() / serialInline.perSecond()));
        }
        if (url != null && serialUrl != null) {
            ratios.add(new IngestBenchReport.Ratio("pipelined / serial images/s, URL", url.perSecond() / serialUrl.perSecond()));
        }
        if (baseline != null && inline != null) {
            ratios.add(new IngestBenchReport.Ratio("pipelined inline topic-to-searchable / bench embed end-to-end, batch " + baseline.batch(),
                    inline.perSecond() / baseline.endToEndPerSecond()));
        }
        return ratios;
    }

    private static IngestPhase find(List<IngestPhase> phases, String embedder, ImageSource source) {
        return phases.stream().filter(p -> p.embedder().equals(embedder) && p.source() == source).findFirst().orElse(null);
    }
}
