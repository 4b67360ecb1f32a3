package io.clipstream.tools.bench;

import io.clipstream.common.ProgressBar;
import io.clipstream.common.ProgressBars;
import io.clipstream.config.Settings;
import io.clipstream.embedded.EmbeddedDemo;
import io.clipstream.encoders.ModelLoader;
import io.clipstream.encoders.ModelSpec;
import io.clipstream.index.VectorMath;
import io.clipstream.schema.ImageEvent;
import io.clipstream.schema.VectorRecord;
import io.clipstream.serde.AvroSerdes;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

/**
 * `clipstream bench pipeline`: in one process, the embedded stack (KRaft broker, schema registry,
 * clipstream with every role) and a client that
 * <ol>
 *   <li>produces pre-computed vectors to the image vector topic and times them until searchable
 *       (embedding excluded), step by step up to each index size, measuring sequential REST search
 *       latency at each size;</li>
 *   <li>produces image events and times them until searchable (decode, preprocess, embed, index);</li>
 *   <li>optionally repeats the image figure with a larger model in a fresh stack.</li>
 * </ol>
 * Client and server share the machine's cores, as they would on a one-box deployment; the figures
 * are for comparing runs on one machine, not capacity planning.
 */
public final class PipelineBenchmark {

    static final int SEARCH_K = 10;
    static final int SPOT_CHECKS = 1000;
    static final Duration POLL = Duration.ofMillis(20);
    static final Duration STARTUP = Duration.ofMinutes(3);
    static final List<Path> IMAGE_DIRS = List.of(Path.of("src", "test", "resources", "fixtures", "model-parity", "images"));

    private final PipelineBenchSettings settings;
    private final Consumer<String> progress;
    private final ProgressBars bars;

    /**
     * @param progress receives one line per step
     * @param bars     where steps of known length (sending, waiting for every image, timed searches) show a bar
     */
    public PipelineBenchmark(PipelineBenchSettings settings, Consumer<String> progress, ProgressBars bars) {
        this.settings = settings;
        this.progress = progress;
        this.bars = bars;
    }

    public PipelineBenchReport run() throws Exception {
        ModelSpec spec = ModelLoader.load(settings.model(), "auto");
        List<IngestFigure> ingest = new ArrayList<>();
        List<SearchLatencyFigure> latency = new ArrayList<>();
        List<CatchUpFigure> catchUp = new ArrayList<>();
        List<RestartFigure> restarts = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<byte[]> images = PipelineWorkload.images(IMAGE_DIRS);
        try (EmbeddedDemo demo = startStack(settings.model());
             BenchRestClient rest = new BenchRestClient(settings.httpPort());
             BenchProducer producer = new BenchProducer(demo.bootstrapServers(), demo.schemaRegistryUrl())) {
            SearchableWatcher watcher = new SearchableWatcher(rest, POLL, settings.timeout());
            int loaded = 0;
            for (int size : settings.vectorCounts()) {
                BurstSearcher searches = BurstSearcher.start(settings.httpPort(),
                        PipelineWorkload.queryTexts(1_000, settings.seed() + size), SEARCH_K, settings.searchIntervalMs());
                Loaded step;
                try {
                    step = loadVectors(demo, producer, watcher, spec, loaded, size);
                } catch (RuntimeException e) {
                    searches.close();
                    throw e;
                }
                ingest.add(step.figure());
                catchUp.add(awaitCatchUp(watcher, searches, step, size));
                loaded = size;
                latency.add(measureSearch(rest, size));
            }
            if (settings.restart()) {
                restarts.add(measureRestart(demo, rest, spec, loaded));
            }
            if (settings.images() > 0) {
                ingest.add(loadImages(demo, producer, watcher, spec.id(), loaded, settings.images(), images, "bench-img"));
            }
            notes.add("embedder batch: " + demo.config().batch().size() + " items or " + demo.config().batch().maxWait().toMillis()
                    + " ms; processing guarantee " + demo.config().kafka().processingGuarantee());
        }
        if (settings.embedModel().isPresent() && settings.embedImages() > 0) {
            ModelSpec embedSpec = ModelLoader.load(settings.embedModel().get(), "auto");
            try (EmbeddedDemo demo = startStack(settings.embedModel().get());
                 BenchRestClient rest = new BenchRestClient(settings.httpPort());
                 BenchProducer producer = new BenchProducer(demo.bootstrapServers(), demo.schemaRegistryUrl())) {
                SearchableWatcher watcher = new SearchableWatcher(rest, POLL, settings.timeout());
                ingest.add(loadImages(demo, producer, watcher, embedSpec.id(), 0, settings.embedImages(), images, "bench-embed"));
            }
        }
        notes.add(images.size() + " distinct images cycled (demo corpus PNGs, plus the model-parity fixtures when run from a checkout)");
        notes.add("searchable = GET /v1/items/{id} finds the last record of every partition (vectors; then "
                + SPOT_CHECKS + " random ids spot-checked) or every id (images); polled every " + POLL.toMillis() + " ms");
        notes.add("caught up = no sealed segment waiting for its graph (clipstream_index_vectors_awaiting_graph 0), then "
                + "no partition with background work left (clipstream_index_partitions_busy 0: written, built, merged); "
                + "searches during a step: one every " + settings.searchIntervalMs() + " ms from its first send until caught up");
        return new PipelineBenchReport(PipelineBenchReport.Environment.current(), spec.id(), spec.dimension(), settings.partitions(),
                ingest, catchUp, latency, restarts, notes);
    }

    private EmbeddedDemo startStack(Path model) throws Exception {
        progress.accept("starting the embedded stack (broker, registry, clipstream) with " + model + " in " + settings.dataDir());
        EmbeddedDemo demo = EmbeddedDemo.start(settings.dataDir(), Map.of(
                Settings.MODEL_DIR.key(), model.toString(),
                Settings.HTTP_PORT.key(), Integer.toString(settings.httpPort()),
                Settings.HTTP_HOST.key(), "127.0.0.1",
                "topics.partitions", Integer.toString(settings.partitions())));
        try {
            demo.awaitReady(STARTUP);
            return demo;
        } catch (Exception | Error e) {
            demo.close();
            throw e;
        }
    }

    private Loaded loadVectors(EmbeddedDemo demo, BenchProducer producer, SearchableWatcher watcher, ModelSpec spec,
                               int from, int to) {
        List<VectorRecord> vectors = PipelineWorkload.vectors(from, to, spec.id(), spec.dimension(), settings.seed(),
                settings.data());
        String what = "vectors " + from + " to " + to;
        progress.accept("producing " + what + " (" + spec.dimension() + "-d) to " + demo.config().topics().imageVectors());
        ProducedRecords produced = producer.send(demo.config().topics().imageVectors(), vectors, VectorRecord::getId,
                AvroSerdes::vectorRecord, bars.start("sending", vectors.size(), "vectors"));
        vectors = null; // the index holds its own copy; let these go before the next step is prepared
        long searchable = watcher.awaitLastOfEachPartition(produced.lastIdOfEachPartition(), what);
        List<String> sample = sample(produced.allIds(), SPOT_CHECKS);
        watcher.requireIndexed(sample, what);
        IngestFigure figure = IngestFigure.of("vectors", spec.id(), from, produced, searchable, sample.size());
        progress.accept(String.format(Locale.ROOT, "%s searchable after %.2f s (%.0f vectors/s)", what,
                figure.searchableSeconds(), figure.perSecond()));
        return new Loaded(figure, produced.firstSendNanos());
    }

    /**
     * After a step is searchable: waits for the graphs and then for all background work, timed from the step's first
     * send, while the burst searches go on; then stops them.
     */
    private CatchUpFigure awaitCatchUp(SearchableWatcher watcher, BurstSearcher searches, Loaded step, int size) {
        BurstSearcher.Result during;
        long graphs;
        long caughtUp;
        try {
            graphs = watcher.awaitGaugeAtMost("clipstream_index_vectors_awaiting_graph", 0, "graphs of " + size + " vectors");
            caughtUp = watcher.awaitGaugeAtMost("clipstream_index_partitions_busy", 0, "background work at " + size + " vectors");
        } finally {
            during = searches.stop();
        }
        double graphsSeconds = (graphs - step.firstSendNanos()) / 1e9;
        double caughtUpSeconds = (caughtUp - step.firstSendNanos()) / 1e9;
        progress.accept(String.format(Locale.ROOT, "%d vectors: graphs caught up %.1f s, background work done %.1f s after "
                + "the first send; %s searches meanwhile%s", size, graphsSeconds, caughtUpSeconds,
                during.latency() == null ? "no" : String.format(Locale.ROOT, "p50 %.1f ms, p99 %.1f ms over %d",
                        during.latency().p50Ms(), during.latency().p99Ms(), during.latency().count()),
                during.failedOrPartial() > 0 ? " (" + during.failedOrPartial() + " failed or partial)" : ""));
        return new CatchUpFigure(size, graphsSeconds, caughtUpSeconds, during.latency(), during.failedOrPartial(),
                settings.searchIntervalMs());
    }

    /** Probes for the restart figure: "more like this" by item id, the same before and after. */
    static final int RESTART_PROBES = 20;

    /**
     * Restarts clipstream on its state directory (the stores load their segments) and times it until ready, with the
     * same item searches before and after, and their recall against the brute force over every vector loaded.
     */
    private RestartFigure measureRestart(EmbeddedDemo demo, BenchRestClient rest, ModelSpec spec, int indexSize)
            throws Exception {
        Random random = new Random(settings.seed());
        List<Integer> probes = new ArrayList<>();
        for (int i = 0; i < RESTART_PROBES; i++) {
            probes.add(random.nextInt(indexSize));
        }
        List<List<String>> before = new ArrayList<>();
        for (int n : probes) {
            before.add(rest.similarIds(PipelineWorkload.vectorId(n), "IMAGE", SEARCH_K));
        }
        progress.accept("restarting clipstream on its state directory with " + indexSize + " vectors");
        long stop = System.nanoTime();
        demo.service().close();
        long stopped = System.nanoTime();
        demo.restartService();
        long deadline = stopped + settings.timeout().toNanos();
        while (rest.readiness() != 200) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("clipstream was not ready within " + settings.timeout() + " of its restart");
            }
            Thread.sleep(POLL.toMillis());
        }
        long ready = System.nanoTime();
        List<List<String>> after = new ArrayList<>();
        for (int n : probes) {
            after.add(rest.similarIds(PipelineWorkload.vectorId(n), "IMAGE", SEARCH_K));
        }
        int identical = 0;
        for (int i = 0; i < probes.size(); i++) {
            identical += before.get(i).equals(after.get(i)) ? 1 : 0;
        }
        List<Set<String>> truth = bruteForce(spec.dimension(), indexSize, probes);
        RestartFigure figure = new RestartFigure(indexSize, (stopped - stop) / 1e9, (ready - stopped) / 1e9, probes.size(),
                identical, recall(before, truth), recall(after, truth));
        progress.accept(String.format(Locale.ROOT, "restart: stopped in %.1f s, ready %.1f s after starting; %d of %d "
                        + "answers identical; recall@10 %.3f before, %.3f after", figure.stopSeconds(), figure.readySeconds(),
                identical, probes.size(), figure.recallBefore(), figure.recallAfter()));
        return figure;
    }

    /** The 10 nearest other vectors of each probe, over every vector loaded, regenerated one at a time. */
    private List<Set<String>> bruteForce(int dimension, int indexSize, List<Integer> probes) {
        PipelineWorkload.VectorSource source = new PipelineWorkload.VectorSource(dimension, settings.seed(), settings.data());
        List<float[]> queries = probes.stream().map(source::vector).toList();
        float[][] scores = new float[probes.size()][];
        int[][] ids = new int[probes.size()][];
        for (int q = 0; q < probes.size(); q++) {
            scores[q] = new float[SEARCH_K];
            ids[q] = new int[SEARCH_K];
            Arrays.fill(scores[q], Float.NEGATIVE_INFINITY);
        }
        for (int n = 0; n < indexSize; n++) {
            float[] v = source.vector(n);
            for (int q = 0; q < queries.size(); q++) {
                if (n == probes.get(q)) {
                    continue;
                }
                float score = VectorMath.dot(queries.get(q), v);
                int worst = 0;
                for (int i = 1; i < SEARCH_K; i++) {
                    if (scores[q][i] < scores[q][worst]) {
                        worst = i;
                    }
                }
                if (score > scores[q][worst]) {
                    scores[q][worst] = score;
                    ids[q][worst] = n;
                }
            }
        }
        List<Set<String>> truth = new ArrayList<>();
        for (int q = 0; q < probes.size(); q++) {
            Set<String> set = new HashSet<>();
            for (int i = 0; i < SEARCH_K; i++) {
                set.add(PipelineWorkload.vectorId(ids[q][i]));
            }
            truth.add(set);
        }
        return truth;
    }

    private static double recall(List<List<String>> answers, List<Set<String>> truth) {
        double sum = 0;
        for (int q = 0; q < answers.size(); q++) {
            Set<String> expected = truth.get(q);
            sum += answers.get(q).stream().filter(expected::contains).count() / (double) expected.size();
        }
        return sum / answers.size();
    }

    /** A step's ingest figure and when its first record was sent. */
    private record Loaded(IngestFigure figure, long firstSendNanos) {
    }

    private IngestFigure loadImages(EmbeddedDemo demo, BenchProducer producer, SearchableWatcher watcher, String modelId,
                                    int indexSize, int count, List<byte[]> images, String prefix) {
        List<ImageEvent> events = PipelineWorkload.imageEvents(prefix, count, images);
        String what = count + " images embedded with " + modelId;
        progress.accept("producing " + count + " image events to " + demo.config().topics().images());
        ProducedRecords produced = producer.send(demo.config().topics().images(), events, ImageEvent::getId, AvroSerdes::imageEvent,
                bars.start("sending", events.size(), "images"));
        long searchable = watcher.awaitEvery(produced.idsByPartition(), what, bars.start("indexing", count, "images"));
        IngestFigure figure = IngestFigure.of("images", modelId, indexSize, produced, searchable, produced.count());
        progress.accept(String.format(Locale.ROOT, "%s searchable after %.2f s (%.1f images/s)", what,
                figure.searchableSeconds(), figure.perSecond()));
        return figure;
    }

    private SearchLatencyFigure measureSearch(BenchRestClient rest, int indexSize) {
        List<String> texts = PipelineWorkload.queryTexts(settings.warmupQueries() + settings.queries(), settings.seed() + indexSize);
        int expectedHits = Math.min(SEARCH_K, indexSize);
        progress.accept("searching " + indexSize + " vectors: " + settings.warmupQueries() + " warm-up and "
                + settings.queries() + " timed queries");
        ProgressBar bar = bars.start("searching", texts.size(), "queries");
        for (String text : texts.subList(0, settings.warmupQueries())) {
            requireComplete(rest.search(BenchRestClient.textSearch(text, "IMAGE", SEARCH_K)), text, expectedHits);
            bar.advance(1);
        }
        long heapUsedMb = heapUsedAfterGc();
        long[] elapsed = new long[settings.queries()];
        long[] took = new long[settings.queries()];
        List<String> timed = texts.subList(settings.warmupQueries(), texts.size());
        for (int i = 0; i < timed.size(); i++) {
            BenchRestClient.SearchReply reply = rest.search(BenchRestClient.textSearch(timed.get(i), "IMAGE", SEARCH_K));
            requireComplete(reply, timed.get(i), expectedHits);
            elapsed[i] = reply.elapsedNanos();
            took[i] = reply.tookMs();
            bar.advance(1);
        }
        bar.finish();
        Arrays.sort(took);
        LatencySummary client = LatencySummary.ofNanos(elapsed);
        progress.accept(String.format(Locale.ROOT, "%d vectors: p50 %.2f ms, p99 %.2f ms", indexSize, client.p50Ms(),
                client.p99Ms()));
        return new SearchLatencyFigure(indexSize, SEARCH_K, settings.warmupQueries(), client,
                LatencySummary.percentile(took, 50), heapUsedMb);
    }

    /** A timed answer must be a whole one, or the latency would be of a cheaper, partial search. */
    private static void requireComplete(BenchRestClient.SearchReply reply, String text, int expectedHits) {
        if (reply.hits() != expectedHits || reply.missingPartitions() > 0) {
            throw new IllegalStateException("search '" + text + "' returned " + reply.hits() + " hits (expected " + expectedHits
                    + ") with " + reply.missingPartitions() + " partitions missing: the index is not whole, so its latency means nothing");
        }
    }

    private static long heapUsedAfterGc() {
        // Measuring after a collection also starts every timed series from the same heap state.
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
    }

    private List<String> sample(List<String> ids, int size) {
        if (ids.size() <= size) {
            return ids;
        }
        List<String> shuffled = new ArrayList<>(ids);
        Collections.shuffle(shuffled, new Random(settings.seed()));
        return shuffled.subList(0, size);
    }
}
