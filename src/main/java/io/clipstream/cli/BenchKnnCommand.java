package io.clipstream.cli;

import io.clipstream.common.ProgressBars;
import io.clipstream.common.ProgressBar;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.clipstream.tools.bench.FloatRows;
import io.clipstream.tools.bench.RecallChart;
import io.clipstream.tools.bench.RecallCurve;
import io.clipstream.tools.bench.MemoryBandwidth;
import io.clipstream.tools.bench.RocksVectors;
import io.clipstream.index.AnnSettings;
import io.clipstream.index.ExactVectorIndex;
import io.clipstream.index.FieldFilter;
import io.clipstream.index.FullPrecisionSource;
import io.clipstream.index.IndexChange;
import io.clipstream.index.IndexHit;
import io.clipstream.index.IndexStats;
import io.clipstream.index.IndexedVector;
import io.clipstream.index.ItemHit;
import io.clipstream.index.PartitionHits;
import io.clipstream.index.SearchOptions;
import io.clipstream.index.SegmentMaintenance;
import io.clipstream.index.SegmentSettings;
import io.clipstream.index.SegmentedIndex;
import io.clipstream.schema.Modality;
import io.github.jbellis.jvector.vector.VectorizationProvider;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * `clipstream bench knn`: the vector store's graph index ({@link GraphVectorIndex}, built and searched on one thread
 * through the same calls the store makes) against its exact scan, on generated or given data; then, on the same data
 * files in the same run, hnswlib and faiss through {@code scripts/bench_knn_reference.py}.
 */
@Command(name = "knn", mixinStandardHelpOptions = true,
        description = "Benchmark the ANN graph index: recall@k against exact search, queries/s on one thread, "
                + "p50/p99 latency, build rate and bytes per vector; beside hnswlib and faiss on the same data.")
public final class BenchKnnCommand implements Callable<Integer> {

    /** Vectors per applyAll call while building: about a restore batch. */
    private static final int BUILD_BATCH = 10_000;

    enum DataSet { RANDOM, CLUSTERED }

    @Option(names = "--n", defaultValue = "100000", description = "Vectors to index when generating (default ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--dim", defaultValue = "512", description = "Dimension (default ${DEFAULT-VALUE}).")
    int dim;

    @Option(names = "--k", defaultValue = "10", description = "Neighbours per query (default ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--queries-count", defaultValue = "500", description = "Queries when generating (default ${DEFAULT-VALUE}).")
    int queryCount;

    @Option(names = "--vectors", description = "Raw little-endian float32 rows to index instead of generated ones.")
    Path vectorsFile;

    @Option(names = "--queries", description = "Raw little-endian float32 query rows (with --vectors).")
    Path queriesFile;

    @Option(names = "--data", defaultValue = "random", description = "Generated data: random (unit Gaussian) or "
            + "clustered (Gaussian mixture of 1000 centres) (default ${DEFAULT-VALUE}).")
    String data;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @Option(names = "--degree", description = "Graph degree (default: index.ann.degree's default).")
    Integer degree;

    @Option(names = "--beam-width", description = "Construction beam width (default: index.ann.beam.width's default).")
    Integer beamWidth;

    @Option(names = "--build-threads", description = "Threads that build the graph, here and in the reference "
            + "(default: all cores, as a restore does). Searches always run on one thread.")
    Integer buildThreads;

    @Option(names = "--segment-vectors", description = "Vectors per run/open segment (default: index.segment.vectors's default).")
    Integer segmentVectors;

    @Option(names = "--idle-ms", defaultValue = "200", description = "How long without writes before the engine seals its open "
            + "segment and merges everything (index.merge.idle.ms; short here so the build is timed, not the wait) "
            + "(default ${DEFAULT-VALUE}).")
    long idleMs;

    @Option(names = "--search-beams", defaultValue = "10,16,24,32,48,64,100,150,200,300",
            description = "Search beams to sweep (HNSW's ef) (default ${DEFAULT-VALUE}).")
    String searchBeams;

    @Option(names = "--compression", defaultValue = "none", description = "Graph indexes to build and measure in turn, "
            + "comma-separated: none, binary, fp16, int8, int8_float32 (fp16 and int8 re-rank from a RocksDB of the "
            + "float32 vectors, as the store does) (default ${DEFAULT-VALUE}).")
    String compressions;

    @Option(names = "--overquery", defaultValue = "2.0", description = "index.ann.overquery: with fp16/int8, "
            + "k * overquery candidates are re-ranked at full precision (default ${DEFAULT-VALUE}).")
    float overquery;

    @Option(names = "--rerank-cache-mb", description = "RocksDB block cache that fp16/int8 re-rank from, MiB (default "
            + "50, Kafka Streams' per store; the store's is state.block.cache.mb). Warmed by one scan before searching.")
    private long rerankCacheMb = RocksVectors.STREAMS_DEFAULT_CACHE_BYTES >> 20;

    @Option(names = "--target-recall", defaultValue = "0.95",
            description = "The headline figures are those of the smallest beam reaching this recall (default ${DEFAULT-VALUE}).")
    double targetRecall;

    @Option(names = "--reference", defaultValue = "scripts/bench_knn_reference.py",
            description = "The hnswlib/faiss script; 'none' to skip (default ${DEFAULT-VALUE}).")
    String reference;

    @Option(names = "--faiss-hnsw", description = "Also build faiss IndexHNSWFlat in the reference (slow to build).")
    boolean faissHnsw;

    @Option(names = "--python", defaultValue = "/usr/bin/python3")
    String python;

    @Option(names = "--work-dir", description = "Where the data files for the reference go (default: a temp dir).")
    Path workDir;

    @Option(names = "--chart", description = "Where to draw the recall / queries-per-second chart of every index and "
            + "the references (PNG; default: recall-qps.png in the work directory; 'none' for no chart).")
    String chart;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs the benchmark alone, until a {@code clipstream bench} parent command lists it. */
    public static void main(String[] args) {
        io.clipstream.index.JVectorSetup.preferPanama();
        System.exit(new CommandLine(new BenchKnnCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter log = spec.commandLine().getErr();
        Map<String, Object> result = new LinkedHashMap<>();

        float[][] vectors;
        float[][] queries;
        Path dir = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("bench-knn");
        if (vectorsFile != null) {
            if (queriesFile == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--vectors needs --queries too");
            }
            vectors = FloatRows.read(vectorsFile, dim);
            queries = FloatRows.read(queriesFile, dim);
            result.put("data", "files " + vectorsFile + ", " + queriesFile);
        } else {
            DataSet set = DataSet.valueOf(data.toUpperCase(java.util.Locale.ROOT));
            Random random = new Random(seed);
            vectors = set == DataSet.RANDOM ? FloatRows.randomUnit(random, n, dim)
                    : FloatRows.clustered(seed, random, n, dim, 1000, 1.0);
            queries = set == DataSet.RANDOM ? FloatRows.randomUnit(random, queryCount, dim)
                    : FloatRows.clustered(seed, random, queryCount, dim, 1000, 1.0);
            result.put("data", set.name().toLowerCase(java.util.Locale.ROOT) + " seed " + seed);
            vectorsFile = dir.resolve("vectors.f32");
            queriesFile = dir.resolve("queries.f32");
            FloatRows.write(vectorsFile, vectors);
            FloatRows.write(queriesFile, queries);
        }
        result.put("n", vectors.length);
        result.put("dim", dim);
        result.put("k", k);
        result.put("queries", queries.length);
        result.put("cores", Runtime.getRuntime().availableProcessors());
        result.put("jvector_vectorization", VectorizationProvider.getInstance().getClass().getSimpleName());

        double bandwidth = MemoryBandwidth.readBytesPerSecond(512L << 20, 5);
        result.put("memory_read_gb_per_s_one_thread", bandwidth / 1e9);

        Map<String, String>[] fields = fieldsFor(vectors.length);
        // The exact scan: the store's ExactVectorIndex (what a partition without a graph runs), the ground truth for
        // every compression, and its own speed against the memory bandwidth.
        ExactVectorIndex exactIndex = new ExactVectorIndex(dim, vectors.length);
        for (int i = 0; i < vectors.length; i++) {
            exactIndex.upsert(Integer.toString(i), vectors[i], fields[i]);
        }
        List<Set<String>> truth = new ArrayList<>();
        long[] exactNanos = new long[queries.length];
        ProgressBar exactBar = ProgressBars.on(log).start("exact", queries.length, "queries");
        for (int q = 0; q < queries.length; q++) {
            long t0 = System.nanoTime();
            List<IndexHit> hits = exactIndex.search(queries[q], k, FieldFilter.NONE, Float.NEGATIVE_INFINITY).hits();
            exactNanos[q] = System.nanoTime() - t0;
            truth.add(idsOf(hits));
            exactBar.advance(1);
        }
        exactBar.finish();
        Map<String, Object> exact = latencyStats(exactNanos);
        double scanBytes = (double) vectors.length * dim * Float.BYTES;
        double exactGbPerS = scanBytes * (Double) exact.get("qps") / 1e9;
        exact.put("gb_per_s", exactGbPerS);
        exact.put("fraction_of_memory_bandwidth", exactGbPerS * 1e9 / bandwidth);
        result.put("exact_scan", exact);

        List<Map<String, Object>> indexes = new ArrayList<>();
        RocksVectors rocks = null;
        try {
            for (String name : compressions.split(",")) {
                AnnSettings.Compression compression = AnnSettings.Compression.parse(name);
                FullPrecisionSource source = FullPrecisionSource.NONE;
                if (compression.readsFullPrecisionFromStore()) {
                    if (rocks == null) {
                        log.println("writing the float32 vectors to RocksDB for re-ranking ...");
                        log.flush();
                        rocks = new RocksVectors(Files.createDirectories(dir.resolve("rocksdb")), rerankCacheMb << 20);
                        rocks.putAll(vectors);
                        long warmStart = System.nanoTime();
                        long warmBytes = rocks.warm();
                        log.printf("warmed the %d MiB block cache: scanned %d MiB in %.1f s%n", rerankCacheMb,
                                warmBytes >> 20, (System.nanoTime() - warmStart) / 1e9);
                    }
                    source = rocks;
                }
                Map<String, Object> run = runIndex(compression, source, vectors, fields, queries, truth, exactIndex,
                        indexes.isEmpty(), dir, log);
                indexes.add(run);
            }
        } finally {
            if (rocks != null) {
                rocks.close();
            }
        }
        result.put("indexes", indexes);
        // The headline figures: the first index listed.
        Map<String, Object> first = indexes.get(0);
        for (String key : List.of("compression", "degree", "beam_width", "build_threads", "build_s", "build_per_s",
                "bytes_per_vector", "search_beam", "recall_at_" + k, "qps", "p50_ms", "p99_ms")) {
            result.put(key, first.get(key));
        }
        exactIndex = null;
        vectors = null;
        System.gc();
        int exit = 0;
        if (!"none".equals(reference)) {
            try {
                JsonNode ref = runReference(dir, log);
                result.put("reference", ref);
                compareWithReference(indexes, ref, result, dir, log);
            } catch (IOException e) {
                // The index's own figures took the longest to get: print them anyway, say why the comparison is missing.
                result.put("reference_error", e.getMessage());
                log.println("bench knn: " + e.getMessage() + " (the figures above are printed without the comparison; "
                        + "rerun the reference alone on the files in " + dir + ")");
                exit = 1;
            }
        }
        ObjectMapper mapper = new ObjectMapper();
        if (json) {
            out.println(mapper.writeValueAsString(result));
        } else {
            out.println(mapper.enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result));
        }
        out.flush();
        return exit;
    }

    /**
     * Builds one index through the segment engine as a store would (vectors appended in batches, graphs built and
     * merged in the background until the partition is quiet), sweeps its search beam and (for the first index only)
     * measures filtered searches.
     */
    private Map<String, Object> runIndex(AnnSettings.Compression compression, FullPrecisionSource source,
                                         float[][] vectors, Map<String, String>[] fields, float[][] queries,
                                         List<Set<String>> truth, ExactVectorIndex exactIndex, boolean withFilters,
                                         Path dir, PrintWriter log) throws IOException, InterruptedException {
        AnnSettings d = AnnSettings.DEFAULTS;
        AnnSettings settings = new AnnSettings(degree != null ? degree : d.degree(),
                beamWidth != null ? beamWidth : d.beamWidth(), overquery, 1, 0, compression, 0.0);
        SegmentSettings segments = SegmentSettings.DEFAULTS.withIdleAfter(Duration.ofMillis(idleMs));
        if (segmentVectors != null) {
            segments = segments.withRunVectors(segmentVectors);
        }
        Map<String, Object> run = new LinkedHashMap<>();
        int threads = buildThreads();
        log.printf("building %d x %d through the segment engine (degree %d, beam %d, %s, %d threads, runs of %d) ...%n",
                vectors.length, dim, settings.degree(), settings.beamWidth(), compression, threads, segments.runVectors());
        log.flush();
        Path indexDir = dir.resolve("index-" + compression.name().toLowerCase(java.util.Locale.ROOT));
        deleteRecursively(indexDir);
        try (SegmentMaintenance maintenance = new SegmentMaintenance(threads);
             SegmentedIndex index = SegmentedIndex.open("bench", indexDir, dim, "bench", settings, segments, source,
                     maintenance)) {
            ProgressBar buildBar = ProgressBars.on(log).start("appending", vectors.length, "vectors");
            long start = System.nanoTime();
            List<IndexChange> batch = new ArrayList<>(BUILD_BATCH);
            for (int i = 0; i < vectors.length; i++) {
                String id = Integer.toString(i);
                batch.add(IndexChange.upsert(new IndexedVector(id, Modality.IMAGE, vectors[i], fields[i], Map.of(), null),
                        i, 0));
                if (batch.size() == BUILD_BATCH || i == vectors.length - 1) {
                    index.apply(batch);
                    buildBar.advance(batch.size());
                    batch.clear();
                }
            }
            double appendSeconds = (System.nanoTime() - start) / 1e9;
            buildBar.finish();
            log.printf("appended in %.1f s; waiting for the graphs and merges ...%n", appendSeconds);
            log.flush();
            if (!index.awaitQuiet(Duration.ofHours(3))) {
                throw new IllegalStateException("the index did not finish building within 3 hours: " + index.stats());
            }
            double buildSeconds = (System.nanoTime() - start) / 1e9;
            IndexStats stats = index.stats();
            run.put("compression", compression.name().toLowerCase(java.util.Locale.ROOT));
            run.put("degree", settings.degree());
            run.put("beam_width", settings.beamWidth());
            run.put("rerank_from_rocksdb", source != FullPrecisionSource.NONE);
            if (source != FullPrecisionSource.NONE) {
                run.put("rerank_cache_mb", rerankCacheMb);
            }
            run.put("build_threads", threads);
            run.put("segment_vectors", segments.runVectors());
            run.put("append_s", appendSeconds);
            run.put("build_s", buildSeconds);
            run.put("build_per_s", vectors.length / buildSeconds);
            run.put("segments", stats.segments());
            run.put("merges", stats.merges());
            run.put("open_vectors", stats.openVectors());
            run.put("bytes_per_vector", index.bytesPerVector());

            List<Map<String, Object>> sweep = new ArrayList<>();
            Map<String, Object> headline = null;
            for (String beamText : searchBeams.split(",")) {
                int beam = Integer.parseInt(beamText.trim());
                Map<String, Object> point = sweepPoint(index, new SearchOptions(SearchOptions.Mode.AUTO, beam), beam,
                        queries, truth, FieldFilter.NONE);
                sweep.add(point);
                log.printf("%s search beam %4d: recall@%d %.4f, %.0f q/s, p50 %.3f ms, p99 %.3f ms%n", compression,
                        beam, k, point.get("recall"), point.get("qps"), point.get("p50_ms"), point.get("p99_ms"));
                log.flush();
                if (headline == null && (Double) point.get("recall") >= targetRecall) {
                    headline = point;
                }
            }
            run.put("sweep", sweep);
            if (headline == null) {
                headline = sweep.get(sweep.size() - 1);
            }
            run.put("search_beam", headline.get("search_beam"));
            run.put("recall_at_" + k, headline.get("recall"));
            run.put("qps", headline.get("qps"));
            run.put("p50_ms", headline.get("p50_ms"));
            run.put("p99_ms", headline.get("p99_ms"));
            if (withFilters) {
                run.put("filtered", filtered(index, exactIndex, (Integer) headline.get("search_beam"), queries));
            }
        } finally {
            deleteRecursively(indexDir);
        }
        return run;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static Set<String> idsOf(List<IndexHit> hits) {
        Set<String> ids = new HashSet<>();
        hits.forEach(hit -> ids.add(hit.id()));
        return ids;
    }

    private int buildThreads() {
        int threads = buildThreads != null ? buildThreads : Runtime.getRuntime().availableProcessors();
        if (threads < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--build-threads is " + threads + ": use at least 1");
        }
        return threads;
    }

    /** Fields for the filter measurements: "p" keeps 1%, "d" 10%, "h" 50% of the items. */
    @SuppressWarnings("unchecked")
    private static Map<String, String>[] fieldsFor(int count) {
        Map<String, String>[] fields = (Map<String, String>[]) new Map<?, ?>[count];
        for (int i = 0; i < count; i++) {
            fields[i] = Map.of("p", Integer.toString(i % 100), "d", Integer.toString(i % 10), "h", Integer.toString(i % 2));
        }
        return fields;
    }

    /** Filtered queries by graph walk and by exact scan of the matching items: where the crossover lies. */
    private List<Map<String, Object>> filtered(SegmentedIndex index, ExactVectorIndex exactIndex, int beam,
                                               float[][] queries) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map.Entry<String, Double> filter : List.of(Map.entry("p", 0.01), Map.entry("d", 0.10), Map.entry("h", 0.50))) {
            FieldFilter f = FieldFilter.of(Map.of(filter.getKey(), "0"));
            List<Set<String>> truth = new ArrayList<>();
            long[] exactNanos = new long[queries.length];
            for (int q = 0; q < queries.length; q++) {
                long t0 = System.nanoTime();
                List<IndexHit> hits = exactIndex.search(queries[q], k, f, Float.NEGATIVE_INFINITY).hits();
                exactNanos[q] = System.nanoTime() - t0;
                truth.add(idsOf(hits));
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("fraction_kept", filter.getValue());
            row.put("graph", sweepPoint(index, SearchOptions.graphOnly(beam), beam, queries, truth, f));
            row.put("exact_scan_of_matches", latencyStats(exactNanos));
            rows.add(row);
        }
        return rows;
    }

    private Map<String, Object> sweepPoint(SegmentedIndex index, SearchOptions options, int beam, float[][] queries,
                                           List<Set<String>> truth, FieldFilter filter) {
        long[] nanos = new long[queries.length];
        double recallSum = 0;
        int minHits = Integer.MAX_VALUE;
        long visited = 0;
        for (int q = 0; q < queries.length; q++) {
            long t0 = System.nanoTime();
            PartitionHits result = index.search(queries[q], k, filter, Float.NEGATIVE_INFINITY, options);
            nanos[q] = System.nanoTime() - t0;
            List<ItemHit> hits = result.hits();
            visited += result.scanned();
            minHits = Math.min(minHits, hits.size());
            Set<String> expected = truth.get(q);
            long found = hits.stream().filter(hit -> expected.contains(hit.id())).count();
            recallSum += expected.isEmpty() ? 1 : (double) found / expected.size();
        }
        Map<String, Object> point = new LinkedHashMap<>();
        point.put("search_beam", beam);
        point.put("recall", recallSum / queries.length);
        point.put("min_hits", minHits);
        point.put("visited_per_query", (double) visited / queries.length);
        point.putAll(latencyStats(nanos));
        return point;
    }

    private static Map<String, Object> latencyStats(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        long total = 0;
        for (long v : nanos) {
            total += v;
        }
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("qps", nanos.length / (total / 1e9));
        stats.put("p50_ms", sorted[(int) Math.floor(0.50 * (sorted.length - 1))] / 1e6);
        stats.put("p99_ms", sorted[(int) Math.floor(0.99 * (sorted.length - 1))] / 1e6);
        return stats;
    }

    /** The recalls at which every index is also stated against hnswlib, beside the headline's. */
    private static final double[] STATED_RECALLS = {0.95, 0.98, 0.99};

    /**
     * Each index against hnswlib at the same recall (its queries/s interpolated on hnswlib's sweep) and at the same
     * build threads, so that nobody has to read the ratios off two tables; and the chart of every curve.
     */
    private void compareWithReference(List<Map<String, Object>> indexes, JsonNode ref, Map<String, Object> result,
                                      Path dir, PrintWriter log) throws IOException {
        RecallCurve hnswlib = curveOf("hnswlib", ref.path("hnswlib").path("sweep"));
        double hnswlibBuild = ref.path("hnswlib").path("build_per_s").asDouble(Double.NaN);
        List<RecallCurve> curves = new ArrayList<>();
        for (Map<String, Object> run : indexes) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> sweep = (List<Map<String, Object>>) run.get("sweep");
            List<RecallCurve.Point> points = sweep.stream()
                    .map(p -> new RecallCurve.Point((Double) p.get("recall"), (Double) p.get("qps"))).toList();
            RecallCurve ours = new RecallCurve("clipstream " + run.get("compression"), points);
            curves.add(ours);
            for (Map<String, Object> point : sweep) {
                RecallCurve.Point at = new RecallCurve.Point((Double) point.get("recall"), (Double) point.get("qps"));
                point.put("vs_hnswlib_at_same_recall", orNull(ours.ratioTo(hnswlib, at)));
            }
            RecallCurve.Point headline = new RecallCurve.Point((Double) run.get("recall_at_" + k), (Double) run.get("qps"));
            run.put("vs_hnswlib_at_same_recall", orNull(ours.ratioTo(hnswlib, headline)));
            Map<String, Object> atRecall = new LinkedHashMap<>();
            for (double recall : STATED_RECALLS) {
                Map<String, Object> row = new LinkedHashMap<>();
                OptionalDouble mine = ours.qpsAt(recall);
                OptionalDouble theirs = hnswlib.qpsAt(recall);
                row.put("qps", orNull(mine));
                row.put("hnswlib_qps", orNull(theirs));
                row.put("ratio", mine.isPresent() && theirs.isPresent() ? mine.getAsDouble() / theirs.getAsDouble() : null);
                atRecall.put(String.format(java.util.Locale.ROOT, "%.2f", recall), row);
            }
            run.put("at_recall", atRecall);
            run.put("build_rate_vs_hnswlib", (Double) run.get("build_per_s") / hnswlibBuild);
            log.printf("%s against hnswlib: %s queries/s at the same recall (%.3f), build rate %.2fx%n", ours.name(),
                    run.get("vs_hnswlib_at_same_recall") == null ? "no figure for"
                            : String.format(java.util.Locale.ROOT, "%.2fx", (Double) run.get("vs_hnswlib_at_same_recall")),
                    headline.recall(), (Double) run.get("build_rate_vs_hnswlib"));
        }
        curves.add(hnswlib);
        if (ref.has("faiss_hnsw_flat")) {
            curves.add(curveOf("faiss HNSWFlat", ref.path("faiss_hnsw_flat").path("sweep")));
        }
        if (ref.has("faiss_flat_ip")) {
            curves.add(new RecallCurve("faiss FlatIP (exact)",
                    List.of(new RecallCurve.Point(1.0, ref.path("faiss_flat_ip").path("qps").asDouble()))));
        }
        if (!"none".equals(chart)) {
            Path png = chart != null ? Path.of(chart) : dir.resolve("recall-qps.png");
            RecallChart.draw(String.format(java.util.Locale.ROOT, "%,d x %d, %s, k %d, %d cores building",
                    (Integer) result.get("n"), dim, result.get("data"), k, buildThreads()), curves, png);
            result.put("chart", png.toString());
            log.println("chart: " + png);
        }
    }

    private static RecallCurve curveOf(String name, JsonNode sweep) {
        List<RecallCurve.Point> points = new ArrayList<>();
        sweep.forEach(p -> points.add(new RecallCurve.Point(p.path("recall").asDouble(), p.path("qps").asDouble())));
        return new RecallCurve(name, points);
    }

    private static Double orNull(OptionalDouble value) {
        return value.isPresent() ? value.getAsDouble() : null;
    }

    private JsonNode runReference(Path dir, PrintWriter log) throws IOException, InterruptedException {
        log.println("running " + reference + " (hnswlib, faiss) on the same files ...");
        log.flush();
        List<String> command = new ArrayList<>(List.of(python, reference, "--vectors", vectorsFile.toString(),
                "--queries", queriesFile.toString(), "--dim", Integer.toString(dim), "--k", Integer.toString(k),
                // The same sweep as the graph's, so that recall can be matched point by point.
                "--ef", searchBeams.replace(" ", ""), "--build-threads", Integer.toString(buildThreads())));
        if (faissHnsw) {
            command.add("--faiss-hnsw");
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        Process process = builder.start();
        byte[] stdout = process.getInputStream().readAllBytes();
        if (!process.waitFor(2, TimeUnit.HOURS) || process.exitValue() != 0) {
            throw new IOException(reference + " failed (exit " + process.exitValue() + "): is python3-hnswlib and "
                    + "python3-faiss installed for " + python + "?");
        }
        return new ObjectMapper().readTree(new String(stdout, StandardCharsets.UTF_8));
    }
}
