package io.clipstream.store;

import io.github.jbellis.jvector.graph.GraphIndexBuilder;
import io.github.jbellis.jvector.graph.GraphSearcher;
import io.github.jbellis.jvector.graph.ImmutableGraphIndex;
import io.github.jbellis.jvector.graph.RandomAccessVectorValues;
import io.github.jbellis.jvector.graph.SearchResult;
import io.github.jbellis.jvector.graph.similarity.BuildScoreProvider;
import io.github.jbellis.jvector.graph.similarity.DefaultSearchScoreProvider;
import io.github.jbellis.jvector.graph.similarity.SearchScoreProvider;
import io.github.jbellis.jvector.quantization.BinaryQuantization;
import io.github.jbellis.jvector.quantization.MutableBQVectors;
import io.github.jbellis.jvector.util.Bits;
import io.github.jbellis.jvector.vector.VectorSimilarityFunction;
import io.github.jbellis.jvector.vector.VectorizationProvider;
import io.github.jbellis.jvector.vector.types.VectorFloat;
import io.github.jbellis.jvector.vector.types.VectorTypeSupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ForkJoinPool;

/**
 * Approximate k-nearest-neighbour search through a JVector graph (a Vamana/HNSW-style proximity graph), with the
 * exact scan kept for small partitions, very selective filters and queries that ask for it.
 *
 * <h2>Ids and ordinals</h2>
 * JVector names nodes by dense int ordinals. Each id maps to one ordinal; an update is a delete of the old ordinal
 * plus an insert under a new one (a node's neighbours were chosen for its old vector, so it cannot be edited in
 * place). A deleted node is only <em>marked</em> at first: the graph still routes through it (its edges keep the
 * graph connected) but it is never returned. Once the marked nodes reach a tenth of the live ones (and at least
 * {@value #MIN_CLEANUP}), {@code removeDeletedNodes} unlinks them, repairing their neighbours' edges, and their
 * ordinals go onto a free list that the next inserts reuse. So ordinals stay within about 1.1 times the peak number
 * of live items, and the arrays indexed by ordinal never need compacting. Deleting the graph's entry node triggers
 * that cleanup at once: JVector links a new node only to live nodes, and with a deleted entry node the top layer
 * offers none, so inserts until the next cleanup would join the graph without edges (measured: a quarter of the
 * replaced items in {@code GraphVectorIndexTest} were unreachable before this rule).
 *
 * <h2>Memory</h2>
 * Per vector: its float32 copy ({@code dimension * 4} bytes, used to build the graph and to re-rank), the graph
 * edges (about {@code degree * 4} bytes, more on the few upper-layer nodes), the binary code when compression is
 * BINARY ({@code dimension / 8} bytes), plus id, fields and map entries. See {@link #bytesPerVector()}. With FP16 or
 * INT8 no float32 copy is kept: the graph is built and walked on the codes ({@link QuantizedVectors}), and the walk's
 * best {@code k * overquery} candidates are re-ranked with float32 vectors from the {@link FullPrecisionSource} (the
 * store's RocksDB), as is every item an exact scan looks at. INT8_FLOAT32 builds and walks on int8 codes too but keeps
 * the float32 copy for re-ranking and exact scans: at 1M x 512 a walk is bound by the bytes it reads per node, and
 * codes are a quarter of them.
 *
 * <h2>Batches</h2>
 * {@link #applyAll} places a batch's new ids on the calling thread and links them into the graph on a pool of one
 * thread per core: restores and rebuilds from RocksDB build at the rate of all cores, not one.
 *
 * <h2>Search</h2>
 * Filters run <em>during</em> the graph walk: rejected nodes are still traversed but never enter the results (JVector's
 * {@code acceptOrds}), so a filter keeping 1% of items still yields k hits. When a sample says the filter keeps less
 * than {@link AnnSettings#exactFilterBelow()} of the items, an exact scan of the matching items is cheaper than a walk
 * through mostly rejected nodes and is used instead; and if a graph walk still comes back short, the scan fills in.
 * Every hit's score is recomputed from the float32 vector with {@link VectorMath#dot} (JVector's SIMD sum differs in the
 * last bit), so scores, the min-score floor and tie order (equal scores by ascending id) are the same as
 * {@link ExactVectorIndex}'s, and partitions of either kind merge consistently.
 *
 * <p>Not thread-safe: the owning store serialises writes against searches (searches among themselves may run
 * concurrently: each builds its own {@link GraphSearcher}).
 */
public final class GraphVectorIndex implements VectorIndex {

    /** Fewer marked deletions than this are not worth a cleanup pass. */
    static final int MIN_CLEANUP = 256;
    private static final int FILTER_SAMPLE = 512;
    private static final VectorTypeSupport VTS = VectorizationProvider.getInstance().getVectorTypeSupport();
    private static final VectorSimilarityFunction DOT = VectorSimilarityFunction.DOT_PRODUCT;

    private final int dimension;
    private final AnnSettings settings;
    private final OrdinalVectors vectors;
    /** The same float32 arrays as {@link #vectors}, for scores computed exactly as {@link ExactVectorIndex} does. */
    private final ChunkedArray<float[]> componentsByOrdinal = new ChunkedArray<>();
    private final GraphIndexBuilder builder;
    private final MutableBQVectors binary;
    /** Int8 or float16 codes when compression is INT8, FP16 or INT8_FLOAT32: they build and walk the graph. */
    private final QuantizedVectors quantized;
    /** Whether {@link #componentsByOrdinal} holds float32 (NONE, BINARY, INT8_FLOAT32) or RocksDB is read instead. */
    private final boolean float32InMemory;
    private final QuantizedScores quantizedScores;
    private final FullPrecisionSource fullPrecision;
    private final Map<String, Integer> ordinalById = new HashMap<>();
    /** Idle searchers, at most one per concurrent search seen (bounded by the pool's capacity). */
    private final ArrayBlockingQueue<GraphSearcher> searchers =
            new ArrayBlockingQueue<>(Math.max(2, Runtime.getRuntime().availableProcessors() * 2));
    private final BitSet live = new BitSet();
    private final ArrayDeque<Integer> freeOrdinals = new ArrayDeque<>();
    private final List<Integer> markedDeleted = new ArrayList<>();
    private String[] idByOrdinal;
    private Map<String, String>[] fieldsByOrdinal;
    /** One past the highest ordinal ever handed out. */
    private int ordinalLimit;

    public GraphVectorIndex(int dimension, int initialCapacity, AnnSettings settings) {
        this(dimension, initialCapacity, settings, FullPrecisionSource.NONE);
    }

    /**
     * @param fullPrecision where INT8 and FP16 indexes read float32 vectors to re-rank and to scan exactly (the
     *                      store's RocksDB); unused by the other compressions
     */
    public GraphVectorIndex(int dimension, int initialCapacity, AnnSettings settings, FullPrecisionSource fullPrecision) {
        if (dimension < 1 || initialCapacity < 1) {
            throw new IllegalArgumentException("graph index needs dimension >= 1 and initialCapacity >= 1, got "
                    + dimension + " and " + initialCapacity);
        }
        this.dimension = dimension;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.vectors = new OrdinalVectors(dimension, initialCapacity);
        this.idByOrdinal = new String[initialCapacity];
        this.fieldsByOrdinal = newFieldsArray(initialCapacity);
        this.fullPrecision = Objects.requireNonNull(fullPrecision, "fullPrecision");
        QuantizedVectors.Kind kind = QuantizedVectors.Kind.of(settings.compression());
        this.float32InMemory = !settings.compression().readsFullPrecisionFromStore();
        if (!float32InMemory && fullPrecision == FullPrecisionSource.NONE) {
            throw new IllegalArgumentException("compression " + settings.compression() + " keeps no float32 copy in "
                    + "memory and needs a full-precision source (the store's RocksDB) to re-rank");
        }
        this.quantized = kind == null ? null : new QuantizedVectors(kind, dimension);
        this.quantizedScores = kind == null ? null : new QuantizedScores(quantized, dimension);
        BuildScoreProvider scores = quantizedScores != null ? quantizedScores
                : BuildScoreProvider.randomAccessScoreProvider(vectors, DOT);
        // alpha 1.2 and neighbour overflow 1.2 are JVector's defaults; the hierarchy gives HNSW-like entry points.
        this.builder = new GraphIndexBuilder(scores, dimension, settings.degree(), settings.beamWidth(),
                1.2f, 1.2f, true);
        this.binary = settings.compression() == AnnSettings.Compression.BINARY
                ? new MutableBQVectors(new BinaryQuantization(dimension)) : null;
    }

    @Override
    public void upsert(String id, float[] vector, Map<String, String> filterableFields) {
        VectorIndex.checkUpsert(id, vector, filterableFields, dimension);
        Integer previous = ordinalById.get(id);
        if (previous != null) {
            markDeleted(previous);
        }
        NewNode node = place(id, vector, filterableFields);
        builder.addGraphNode(node.ordinal(), node.vector());
        live.set(node.ordinal());
        cleanUpIfDue();
    }

    /** A node whose id, fields and vector are in place but which is not in the graph yet. */
    private record NewNode(int ordinal, VectorFloat<?> vector) {
    }

    private NewNode place(String id, float[] vector, Map<String, String> filterableFields) {
        int ordinal = nextOrdinal();
        float[] components = vector.clone();
        // JVector's array-backed vector wraps the array: one float32 copy serves the graph and the exact scores.
        VectorFloat<?> copy = VTS.createFloatVector(components);
        if (quantized != null) {
            // The codes build and walk the graph; JVector reads the float32 copy only while inserting the node.
            quantized.set(ordinal, components);
            quantizedScores.added(components);
        } else {
            vectors.set(ordinal, copy);
        }
        if (float32InMemory) {
            componentsByOrdinal.set(ordinal, components);
        }
        if (binary != null) {
            binary.encodeAndSet(ordinal, copy);
        }
        idByOrdinal[ordinal] = id;
        fieldsByOrdinal[ordinal] = filterableFields;
        ordinalById.put(id, ordinal);
        return new NewNode(ordinal, copy);
    }

    /** Inserts batches on one thread per core, shared by every graph index in the JVM (partitions restore at once). */
    private static final class BuildPool {
        static final ForkJoinPool POOL = new ForkJoinPool(Runtime.getRuntime().availableProcessors());
    }

    @Override
    public void applyAll(List<Change> changes) {
        applyAll(changes, BuildPool.POOL);
    }

    /**
     * Applies the changes in order; runs of upserts of ids not yet in the index (a restore, a rebuild from RocksDB, a
     * catalogue load) are placed on this thread and then linked into the graph in parallel on {@code pool} (JVector's
     * {@code addGraphNode} is safe to call concurrently; it is how JVector builds a graph itself). Removals and
     * replacements are applied one by one, after the pending new nodes are in, so the order of changes to one id holds.
     */
    public void applyAll(List<Change> changes, ForkJoinPool pool) {
        List<NewNode> pending = new ArrayList<>();
        for (Change change : changes) {
            if (change.vector() == null) {
                link(pending, pool);
                remove(change.id());
            } else if (ordinalById.containsKey(change.id())) {
                link(pending, pool);
                upsert(change.id(), change.vector(), change.fields());
            } else {
                VectorIndex.checkUpsert(change.id(), change.vector(), change.fields(), dimension);
                pending.add(place(change.id(), change.vector(), change.fields()));
            }
        }
        link(pending, pool);
    }

    private void link(List<NewNode> pending, ForkJoinPool pool) {
        if (pending.isEmpty()) {
            return;
        }
        if (pending.size() == 1 || pool.getParallelism() == 1) {
            pending.forEach(node -> builder.addGraphNode(node.ordinal(), node.vector()));
        } else {
            pool.submit(() -> pending.parallelStream().forEach(node -> builder.addGraphNode(node.ordinal(), node.vector())))
                    .join();
        }
        pending.forEach(node -> live.set(node.ordinal()));
        pending.clear();
        cleanUpIfDue();
    }

    @Override
    public boolean remove(String id) {
        Integer ordinal = ordinalById.remove(id);
        if (ordinal == null) {
            return false;
        }
        markDeleted(ordinal);
        cleanUpIfDue();
        return true;
    }

    private void markDeleted(int ordinal) {
        live.clear(ordinal);
        builder.markNodeDeleted(ordinal);
        markedDeleted.add(ordinal);
        // The graph keeps the vector until cleanup (it still scores the node while routing); the fields can go.
        fieldsByOrdinal[ordinal] = null;
        if (ordinal == entryOrdinal()) {
            // JVector inserts only link to live nodes: with the entry node marked deleted, the top layer can offer no
            // live start, and new nodes would join with no edges (unreachable). Removing now moves the entry.
            cleanUp();
        }
    }

    private int entryOrdinal() {
        try (ImmutableGraphIndex.View view = builder.getGraph().getView()) {
            ImmutableGraphIndex.NodeAtLevel entry = view.entryNode();
            return entry == null ? -1 : entry.node;
        } catch (IOException e) {
            throw new UncheckedIOException("closing a JVector graph view", e);
        }
    }

    private void cleanUpIfDue() {
        if (markedDeleted.size() >= Math.max(MIN_CLEANUP, live.cardinality() / 10)) {
            cleanUp();
        }
    }

    private void cleanUp() {
        builder.removeDeletedNodes();
        for (int ordinal : markedDeleted) {
            vectors.set(ordinal, null);
            componentsByOrdinal.set(ordinal, null);
            idByOrdinal[ordinal] = null;
            freeOrdinals.add(ordinal);
        }
        markedDeleted.clear();
    }

    private int nextOrdinal() {
        Integer reused = freeOrdinals.poll();
        if (reused != null) {
            return reused;
        }
        int ordinal = ordinalLimit++;
        if (ordinal == idByOrdinal.length) {
            int grown = Math.max(16, idByOrdinal.length * 2);
            idByOrdinal = Arrays.copyOf(idByOrdinal, grown);
            fieldsByOrdinal = Arrays.copyOf(fieldsByOrdinal, grown);
        }
        return ordinal;
    }

    @Override
    public IndexSearchResult search(float[] query, int k, FieldFilter filter, float minScore) {
        checkQuery(query, k);
        int size = size();
        if (size == 0) {
            return new IndexSearchResult(List.of(), 0);
        }
        if (size < settings.minSize() || (!filter.isEmpty() && sampledMatchFraction(filter) < settings.exactFilterBelow())) {
            return searchExact(query, k, filter, minScore);
        }
        int beam = settings.searchBeamFor(k);
        WalkResult walk = walk(query, k, filter, minScore, beam);
        if (!filter.isEmpty() && walk.accepted() < Math.min(k, size)) {
            // The walk ran out of matching nodes before k: the filter is more selective than the sample showed.
            return searchExact(query, k, filter, minScore);
        }
        return walk.result();
    }

    /** A search beam for {@link #searchGraph}, for benchmarks that sweep it. */
    public record SearchTuning(int searchBeam) {
        public SearchTuning {
            if (searchBeam < 1) {
                throw new IllegalArgumentException("search beam is " + searchBeam + ": use at least 1");
            }
        }
    }

    /**
     * The graph walk alone, with the given beam: no exact scan for small sizes, selective filters or short results.
     * For benchmarks and recall measurements.
     */
    public IndexSearchResult searchGraph(float[] query, int k, FieldFilter filter, SearchTuning tuning) {
        checkQuery(query, k);
        if (size() == 0) {
            return new IndexSearchResult(List.of(), 0);
        }
        return walk(query, k, filter, Float.NEGATIVE_INFINITY, Math.max(k, tuning.searchBeam())).result();
    }

    private record WalkResult(IndexSearchResult result, int accepted) {
    }

    private WalkResult walk(float[] query, int k, FieldFilter filter, float minScore, int beam) {
        Bits accept = filter.isEmpty() ? live::get : ordinal -> live.get(ordinal) && filter.matches(fieldsByOrdinal[ordinal]);
        // Compressed walks hand back the best candidates by code score, more than k, for re-ranking at full precision.
        int candidates = quantized == null ? Math.min(k, beam) : Math.min(beam, Math.max(k, (int) Math.ceil(k * settings.overquery())));
        SearchScoreProvider provider = quantized != null
                ? new DefaultSearchScoreProvider(quantizedScores.scoresFor(query.clone()))
                : scoreProvider(VTS.createFloatVector(query.clone()));
        GraphSearcher searcher = borrowSearcher();
        SearchResult found;
        try {
            found = searcher.search(provider, candidates, beam, Float.NEGATIVE_INFINITY, 0.0f, accept);
        } finally {
            returnSearcher(searcher);
        }
        TopK top = new TopK(Math.min(k, size()), idByOrdinal);
        int accepted = 0;
        for (SearchResult.NodeScore node : found.getNodes()) {
            if (!accept.get(node.node)) {
                continue; // JVector filters already; this guards the contract that deleted or filtered ids never return
            }
            float[] full = fullPrecision(node.node);
            if (full == null) {
                continue; // gone from RocksDB: a delete the index has not applied yet
            }
            accepted++;
            float score = VectorMath.dot(query, full, 0, dimension);
            if (score >= minScore) {
                top.offer(node.node, score);
            }
        }
        return new WalkResult(new IndexSearchResult(top.drainBestFirst(), found.getVisitedCount()), accepted);
    }

    /** The float32 vector of a live ordinal: the in-memory copy, or for INT8 and FP16 a read from RocksDB. */
    private float[] fullPrecision(int ordinal) {
        return float32InMemory ? componentsByOrdinal.get(ordinal) : fullPrecision.vector(idByOrdinal[ordinal]);
    }

    /**
     * The exact scan over every live item (that matches the filter). With INT8 or FP16 it reads every matching item's
     * float32 vector from the full-precision source (RocksDB): exact, and slow for large partitions.
     */
    @Override
    public IndexSearchResult searchExact(float[] query, int k, FieldFilter filter, float minScore) {
        checkQuery(query, k);
        TopK top = new TopK(Math.min(k, Math.max(size(), 1)), idByOrdinal);
        boolean filtering = !filter.isEmpty();
        for (int ordinal = live.nextSetBit(0); ordinal >= 0; ordinal = live.nextSetBit(ordinal + 1)) {
            if (filtering && !filter.matches(fieldsByOrdinal[ordinal])) {
                continue;
            }
            float[] full = fullPrecision(ordinal);
            if (full == null) {
                continue;
            }
            float score = VectorMath.dot(query, full, 0, dimension);
            if (score >= minScore) {
                top.offer(ordinal, score);
            }
        }
        // Like ExactVectorIndex: every item was looked at (filtered ones by their fields only).
        return new IndexSearchResult(top.drainBestFirst(), size());
    }

    /**
     * A searcher on a fresh view of the graph. Searchers hold scratch space sized to the graph (visited set, queues),
     * so they are pooled rather than built per query: a per-query searcher cost several times the walk itself.
     */
    private GraphSearcher borrowSearcher() {
        GraphSearcher pooled = searchers.poll();
        if (pooled == null) {
            return new GraphSearcher(builder.getGraph());
        }
        pooled.setView(builder.getGraph().getView());
        return pooled;
    }

    private void returnSearcher(GraphSearcher searcher) {
        if (!searchers.offer(searcher)) {
            closeQuietly(searcher);
        }
    }

    private static void closeQuietly(GraphSearcher searcher) {
        try {
            searcher.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing a JVector graph searcher", e);
        }
    }

    private SearchScoreProvider scoreProvider(VectorFloat<?> q) {
        if (binary == null) {
            return DefaultSearchScoreProvider.exact(q, DOT, vectors);
        }
        // Binary codes steer the walk; JVector re-ranks the beam with the float32 copy before returning it.
        return new DefaultSearchScoreProvider(binary.precomputedScoreFunctionFor(q, DOT), vectors.rerankerFor(q, DOT));
    }

    /** The fraction of a sample of live items, spread over the ordinals, that the filter keeps. */
    private double sampledMatchFraction(FieldFilter filter) {
        int step = Math.max(1, ordinalLimit / FILTER_SAMPLE);
        int sampled = 0;
        int matched = 0;
        for (int ordinal = 0; ordinal < ordinalLimit; ordinal += step) {
            if (live.get(ordinal)) {
                sampled++;
                if (filter.matches(fieldsByOrdinal[ordinal])) {
                    matched++;
                }
            }
        }
        return sampled == 0 ? 0 : (double) matched / sampled;
    }

    private void checkQuery(float[] query, int k) {
        if (query.length != dimension) {
            throw new IllegalArgumentException("query vector has " + query.length
                    + " components; this index holds vectors of dimension " + dimension
                    + ": embed the query with the model that produced the index");
        }
        if (k < 1) {
            throw new IllegalArgumentException("k is " + k + ": ask for at least one hit");
        }
    }

    @Override
    public int size() {
        return ordinalById.size();
    }

    @Override
    public int dimension() {
        return dimension;
    }

    /**
     * Vector-related bytes per item: the float32 copy, the binary code if any, and the base-layer edges at full
     * degree (an upper bound; JVector's {@code ramBytesUsed} walks every node, too slow for a metrics gauge).
     */
    @Override
    public long bytesPerVector() {
        return bytesPerVector(settings, dimension);
    }

    /** {@link #bytesPerVector()} of an index with these settings, without building one (the store's gauge when closed). */
    static long bytesPerVector(AnnSettings settings, int dimension) {
        long edges = (long) settings.degree() * Integer.BYTES;
        long floats = (long) dimension * Float.BYTES;
        return switch (settings.compression()) {
            case NONE -> floats + edges;
            case BINARY -> floats + (long) Math.ceil(dimension / 64.0) * Long.BYTES + edges;
            case FP16, INT8 -> QuantizedVectors.bytesPerVector(QuantizedVectors.Kind.of(settings.compression()), dimension) + edges;
            case INT8_FLOAT32 -> floats + QuantizedVectors.bytesPerVector(QuantizedVectors.Kind.INT8, dimension) + edges;
        };
    }

    /** How many deleted nodes still sit in the graph awaiting cleanup. */
    int pendingDeletions() {
        return markedDeleted.size();
    }

    @Override
    public void close() {
        for (GraphSearcher searcher = searchers.poll(); searcher != null; searcher = searchers.poll()) {
            closeQuietly(searcher);
        }
        try {
            builder.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing the JVector graph builder", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String>[] newFieldsArray(int capacity) {
        return (Map<String, String>[]) new Map<?, ?>[capacity];
    }

    /** A growable array in fixed chunks: growing copies only the chunk table, never the elements. */
    static final class ChunkedArray<T> {
        private static final int CHUNK = 4096;
        private Object[][] chunks = new Object[1][];

        void set(int index, T value) {
            int chunk = index / CHUNK;
            if (chunk >= chunks.length) {
                chunks = Arrays.copyOf(chunks, Math.max(chunk + 1, chunks.length * 2));
            }
            if (chunks[chunk] == null) {
                chunks[chunk] = new Object[CHUNK];
            }
            chunks[chunk][index % CHUNK] = value;
        }

        @SuppressWarnings("unchecked")
        T get(int index) {
            return (T) chunks[index / CHUNK][index % CHUNK];
        }
    }

    /**
     * The vectors by ordinal, as JVector reads them. A chunked array so that growing never copies the vectors and a
     * reader on another thread never sees a half-copied array.
     */
    static final class OrdinalVectors implements RandomAccessVectorValues {
        private static final int CHUNK = 4096;
        private final int dimension;
        private VectorFloat<?>[][] chunks;
        private int size;

        OrdinalVectors(int dimension, int initialCapacity) {
            this.dimension = dimension;
            this.chunks = new VectorFloat<?>[Math.max(1, (initialCapacity + CHUNK - 1) / CHUNK)][];
        }

        void set(int ordinal, VectorFloat<?> vector) {
            int chunk = ordinal / CHUNK;
            if (chunk >= chunks.length) {
                chunks = Arrays.copyOf(chunks, Math.max(chunk + 1, chunks.length * 2));
            }
            if (chunks[chunk] == null) {
                chunks[chunk] = new VectorFloat<?>[CHUNK];
            }
            chunks[chunk][ordinal % CHUNK] = vector;
            size = Math.max(size, ordinal + 1);
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public int dimension() {
            return dimension;
        }

        @Override
        public VectorFloat<?> getVector(int ordinal) {
            return chunks[ordinal / CHUNK][ordinal % CHUNK];
        }

        @Override
        public boolean isValueShared() {
            return false;
        }

        @Override
        public RandomAccessVectorValues copy() {
            return this;
        }
    }
}
