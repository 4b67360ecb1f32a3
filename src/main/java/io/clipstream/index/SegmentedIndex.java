package io.clipstream.index;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One partition's vector index as a set of segments, in the shape of Lucene's segments and Milvus's growing and
 * sealed segments:
 * <ul>
 *   <li>writes append to the <b>open run</b>, which searches scan exactly: a vector is searchable the moment
 *       {@link #apply} returns, and the writing thread never touches a graph;</li>
 *   <li>a full open run is <b>sealed</b> into a segment of its own; the background {@link SegmentMaintenance} writes it
 *       to disk and builds its JVector graph on all cores (until then searches scan it exactly);</li>
 *   <li>segments are <b>merged</b> in the background ({@link MergePolicy}): the largest input's graph is read back and
 *       extended with the others' vectors, so merging costs the inserts of the smaller inputs only;</li>
 *   <li>an update or delete marks the old slot dead with the write's sequence number ({@link VectorRun#kill}); a
 *       search sees the partition as of one write, never a deleted or stale vector, and never the same item twice;</li>
 *   <li>a <b>manifest</b>, written at commits ({@link #checkpoint}), lists the persisted segments and the changelog
 *       offset they cover, so a store reopened on intact state loads them and replays only the tail
 *       ({@link #coveredOffset()}).</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * One writer at a time (the stream thread, or the restore thread) calls {@link #apply}; searches run on any thread
 * and read the {@link SegmentView} the last write published; maintenance jobs read sealed runs freely and take the
 * lock only to pick a job and to install its result.
 */
public final class SegmentedIndex implements AutoCloseable {

    /** How long a close waits for a running graph build or merge to reach its next chunk and stop. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(60);
    private static final Logger LOG = LoggerFactory.getLogger(SegmentedIndex.class);

    /** Thrown inside a maintenance job whose partition closed under it. */
    static final class ClosedException extends RuntimeException {
        ClosedException(String name) {
            super("index " + name + " closed");
        }
    }

    private final String name;
    private final int dimension;
    private final AnnSettings ann;
    private final SegmentSettings settings;
    private final VectorScorer scorer;
    private final SearchPlanner planner;
    private final MergePolicy policy;
    private final SegmentDirectory directory;
    private final GraphBuilds builds;
    private final SegmentMaintenance maintenance;
    private final String fingerprint;
    private final int slotBits;
    private final int idleSealVectors;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // Guarded by lock.
    private final Map<String, SlotRef> live = new HashMap<>();
    private List<Segment> segments = List.of();
    private VectorRun open;
    private long seq;
    private long lastApplied = -1;
    private long nextId;
    private volatile boolean closed;
    private boolean changedSinceManifest;
    private long lastManifestNanos;
    private long lastWriteNanos;
    private long newestTimestampMs = -1;
    private final List<String> obsoleteFiles = new ArrayList<>();
    private int runningJobs;
    private final Map<SegmentMaintenance.Lane, Long> backedOffUntil = new ConcurrentHashMap<>();

    private volatile SegmentView view;
    private volatile int liveCount;
    private volatile long lastBuildMillis = -1;
    private volatile long lastMergeMillis = -1;
    private volatile long merges;
    private volatile long persistedCoverage = -1;
    private final OptionalLong loadedCoverage;
    private final String openedHow;

    private SegmentedIndex(String name, Path dir, int dimension, String modelId, AnnSettings ann,
                           SegmentSettings settings, FullPrecisionSource source, SegmentMaintenance maintenance) {
        this.name = Objects.requireNonNull(name, "name");
        this.dimension = dimension;
        this.ann = ann;
        this.settings = Objects.requireNonNull(settings, "settings");
        if (Integer.bitCount(settings.runVectors()) != 1) {
            throw new IllegalArgumentException("index.segment.vectors is " + settings.runVectors()
                    + ": use a power of two (graph ordinals are run position and slot bits)");
        }
        AnnSettings.Compression compression = ann == null ? AnnSettings.Compression.NONE : ann.compression();
        this.scorer = VectorScorer.of(compression, source);
        this.planner = new SearchPlanner(ann);
        this.policy = new MergePolicy(settings);
        this.directory = new SegmentDirectory(dir);
        this.maintenance = Objects.requireNonNull(maintenance, "maintenance");
        this.slotBits = Integer.numberOfTrailingZeros(settings.runVectors());
        this.builds = new GraphBuilds(name, dimension, ann, scorer, directory, slotBits, () -> closed);
        this.idleSealVectors = ann == null ? Integer.MAX_VALUE : Math.max(1, Math.min(ann.minSize(), settings.runVectors()));
        this.fingerprint = "model=" + modelId + ";dimension=" + dimension + ";run=" + settings.runVectors()
                + ";ann=" + (ann == null ? "off" : ann.compression() + "/" + ann.degree() + "/" + ann.beamWidth());
        this.lastWriteNanos = System.nanoTime();
        this.lastManifestNanos = System.nanoTime();
        long started = System.nanoTime();
        OptionalLong coverage = OptionalLong.empty();
        String how;
        try {
            Manifest manifest = directory.readManifest().orElse(null);
            if (manifest == null) {
                directory.deleteAll();
                how = "no persisted segments";
            } else {
                coverage = OptionalLong.of(load(manifest));
                how = String.format("loaded %d vectors in %d segments from disk in %.3f s, covering the changelog to offset %d",
                        live.size(), segments.size(), (System.nanoTime() - started) / 1e9, coverage.getAsLong());
            }
        } catch (CorruptStateException e) {
            reset();
            directory.deleteAll();
            coverage = OptionalLong.empty();
            how = "persisted segments not used (" + e.getMessage() + "); rebuilding";
        }
        if (open == null) {
            open = newRun();
        }
        this.loadedCoverage = coverage;
        this.openedHow = how;
        lock.lock();
        try {
            publish();
        } finally {
            lock.unlock();
        }
        maintenance.register(this);
    }

    /**
     * Opens a partition's index on its segment directory: loads what a valid manifest lists, else starts empty (and
     * says why in {@link #openedHow()}); the caller then replays or rebuilds what is missing.
     *
     * @param modelId the model whose vectors the index holds; persisted segments of another model are not loaded
     * @param ann     the graph settings; null for an index that only scans
     * @param source  where codes-only compressions (int8, fp16) read float32; {@link FullPrecisionSource#NONE} otherwise
     */
    public static SegmentedIndex open(String name, Path dir, int dimension, String modelId, AnnSettings ann,
                                      SegmentSettings settings, FullPrecisionSource source,
                                      SegmentMaintenance maintenance) {
        return new SegmentedIndex(name, dir, dimension, modelId, ann, settings, source, maintenance);
    }

    // ---------------------------------------------------------------- opening

    private long load(Manifest manifest) throws CorruptStateException {
        SegmentLoader.Loaded loaded = new SegmentLoader(directory, fingerprint, settings, dimension, scorer, slotBits)
                .load(manifest);
        segments = loaded.segments();
        live.putAll(loaded.live());
        nextId = manifest.nextId();
        lastApplied = manifest.coveredOffset();
        return manifest.coveredOffset();
    }

    private void reset() {
        live.clear();
        segments = List.of();
        open = null;
        lastApplied = -1;
        nextId = 0;
    }

    /** The changelog offset the loaded segments cover, when they came from a valid manifest. */
    public OptionalLong coveredOffset() {
        return loadedCoverage;
    }

    /** The changelog offset the last manifest written covers (-1 before the first): a restart replays after it. */
    public long persistedCoverage() {
        return persistedCoverage;
    }

    /** How the index opened, for the store's log line. */
    public String openedHow() {
        return openedHow;
    }

    // ---------------------------------------------------------------- writes

    /** Applies one change; see {@link #apply(List)}. */
    public void apply(IndexChange change) {
        apply(List.of(change));
    }

    /**
     * Applies the changes in order and publishes them to searches at once: an upsert appends to the open run (sealing
     * it first if full) and kills the item's previous slot; a removal kills it.
     */
    public void apply(List<IndexChange> changes) {
        boolean sealed = false;
        lock.lock();
        try {
            requireOpen();
            for (IndexChange change : changes) {
                sealed |= applyOne(change);
            }
            publish();
        } finally {
            lock.unlock();
        }
        if (sealed) {
            maintenance.wake();
        }
    }

    private boolean applyOne(IndexChange change) {
        long write = ++seq;
        boolean sealed = false;
        SlotRef previous = live.remove(change.id());
        IndexedVector vector = change.vector();
        if (vector != null) {
            if (vector.vector().length != dimension) {
                throw new IllegalArgumentException("vector for id '" + change.id() + "' has " + vector.vector().length
                        + " components; this index holds vectors of dimension " + dimension);
            }
            if (open.isFull()) {
                seal();
                sealed = true;
            }
            int slot = open.append(change.id(), vector.vector(), vector.filterableFields(), HitPayload.of(vector),
                    change.offset());
            live.put(change.id(), new SlotRef(open, slot));
            newestTimestampMs = Math.max(newestTimestampMs, change.timestampMs());
        }
        if (previous != null) {
            previous.run().kill(previous.slot(), write);
        }
        if (change.offset() >= 0) {
            lastApplied = Math.max(lastApplied, change.offset());
        }
        changedSinceManifest = true;
        lastWriteNanos = System.nanoTime();
        return sealed;
    }

    /** Seals the open run into a segment of its own (under the lock). */
    private void seal() {
        if (open.count() == 0) {
            return;
        }
        open.trim();
        List<Segment> grown = new ArrayList<>(segments);
        grown.add(new Segment(nextId++, List.of(open), slotBits));
        segments = List.copyOf(grown);
        open = newRun();
        changedSinceManifest = true;
    }

    private VectorRun newRun() {
        return new VectorRun(nextId++, settings.runVectors(), dimension, scorer.keepsFloats(), scorer.codeKind());
    }

    private void publish() {
        view = new SegmentView(segments, open, open.count(), seq, slotBits);
        liveCount = live.size();
        changed.signalAll();
    }

    /**
     * After a rebuild from local state (changes with unknown offsets): everything up to {@code offset} is in, and the
     * open run is sealed so that the rebuilt vectors reach disk and later manifests can say what they cover.
     */
    public void rebuilt(long offset) {
        lock.lock();
        try {
            requireOpen();
            lastApplied = Math.max(lastApplied, offset);
            seal();
            publish();
        } finally {
            lock.unlock();
        }
        maintenance.wake();
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("index " + name + " is closed");
        }
    }

    // ---------------------------------------------------------------- search

    /**
     * The k nearest live vectors that match the filter, best first (equal scores by ascending id).
     *
     * @throws IllegalArgumentException if the query's dimension differs or k is below 1
     * @throws IllegalStateException    if the index is closed
     */
    public PartitionHits search(float[] query, int k, FieldFilter filter, float minScore, SearchOptions options) {
        if (query.length != dimension) {
            throw new IllegalArgumentException("query vector has " + query.length
                    + " components; this index holds vectors of dimension " + dimension
                    + ": embed the query with the model that produced the index");
        }
        if (k < 1) {
            throw new IllegalArgumentException("k is " + k + ": ask for at least one hit");
        }
        SegmentView current = view;
        if (closed) {
            throw new IllegalStateException("index " + name + " is closed");
        }
        return new PartitionSearch(current, scorer, planner, query, k, filter, minScore, options).run();
    }

    /** Live vectors. */
    public int size() {
        return liveCount;
    }

    public int dimension() {
        return dimension;
    }

    public String name() {
        return name;
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Index memory per vector: the float32 copy (where kept), the codes and the graph edges at full degree (an upper
     * bound; JVector's {@code ramBytesUsed} walks every node, too slow for a gauge). Ids, fields and payloads come on top.
     */
    public long bytesPerVector() {
        return bytesPerVector(ann, dimension);
    }

    public static long bytesPerVector(AnnSettings ann, int dimension) {
        long floats = (long) dimension * Float.BYTES;
        if (ann == null) {
            return floats;
        }
        long edges = (long) ann.degree() * Integer.BYTES;
        RunCodes.Kind codes = RunCodes.kindOf(ann.compression());
        long codeBytes = codes == null ? 0 : codes.bytesPerVector(dimension);
        return (ann.compression().readsFullPrecisionFromStore() ? 0 : floats) + codeBytes + edges;
    }

    public IndexStats stats() {
        lock.lock();
        try {
            long withoutGraph = open.liveCount();
            int pendingPersistence = 0;
            for (Segment segment : segments) {
                if (segment.graph() == null) {
                    withoutGraph += segment.liveVectors();
                }
                for (VectorRun run : segment.runs()) {
                    if (!run.persisted()) {
                        pendingPersistence++;
                    }
                }
            }
            return new IndexStats(live.size(), segments.size(), withoutGraph, open.count(), pendingPersistence,
                    newestTimestampMs, lastBuildMillis, lastMergeMillis, merges, quiet());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the background work has nothing left to do for this partition (every sealed run on disk, every
     * segment with a graph, no merge due for a partition at rest), for tests and benchmarks. The partition counts as
     * at rest once it has taken no write for {@link SegmentSettings#idleAfter()}.
     *
     * @return whether it got there before the timeout
     */
    public boolean awaitQuiet(Duration timeout) throws InterruptedException {
        return await(timeout, this::quiet);
    }

    /**
     * Waits until every sealed segment is on disk and has its graph, whatever merges or idle seals may still come.
     *
     * @return whether it got there before the timeout
     */
    public boolean awaitGraphs(Duration timeout) throws InterruptedException {
        return await(timeout, this::sealedFinished);
    }

    private boolean await(Duration timeout, java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (!closed && !done.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                maintenance.wake();
                changed.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private boolean sealedFinished() {
        for (Segment segment : segments) {
            if (!segment.persisted() || (ann != null && segment.graph() == null)) {
                return false;
            }
        }
        return true;
    }

    private boolean quiet() {
        return open.count() < idleSealVectors && sealedFinished() && (ann == null || policy.pick(segments, true) == null);
    }

    // ---------------------------------------------------------------- background work

    void backOff(SegmentMaintenance.Lane lane, long untilNanos) {
        backedOffUntil.put(lane, untilNanos);
    }

    /** The next job of a lane for this partition, or null. Called by the lanes only. */
    SegmentMaintenance.Job nextJob(SegmentMaintenance.Lane lane, long nowNanos) {
        Long until = backedOffUntil.get(lane);
        if (until != null && nowNanos < until) {
            return null;
        }
        lock.lock();
        try {
            if (closed) {
                return null;
            }
            SegmentMaintenance.Job job = switch (lane) {
                case PERSIST -> nextPersistJob();
                case BUILD -> nextBuildJob();
                case MERGE -> nextMergeJob(nowNanos);
            };
            return job == null ? null : counted(job);
        } finally {
            lock.unlock();
        }
    }

    /**
     * A job that {@link #close()} waits for: counted from the moment it is handed out (under the lock, while the
     * partition is open), so no job can still be writing into the directory once close returns.
     */
    private SegmentMaintenance.Job counted(SegmentMaintenance.Job job) {
        runningJobs++;
        return pool -> {
            try {
                job.run(pool);
            } finally {
                lock.lock();
                try {
                    runningJobs--;
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        };
    }

    private SegmentMaintenance.Job nextPersistJob() {
        for (Segment segment : segments) {
            for (VectorRun run : segment.runs()) {
                if (!run.persisted()) {
                    return pool -> persist(run);
                }
            }
        }
        return null;
    }

    private SegmentMaintenance.Job nextBuildJob() {
        if (ann == null) {
            return null;
        }
        // Every segment waiting for its graph is built as one: after a burst, a restore or a rebuild, each vector is
        // inserted once into one large graph instead of into many small ones that would then have to be merged.
        List<Segment> waiting = new ArrayList<>();
        for (Segment segment : segments) {
            if (segment.graph() == null) {
                waiting.add(segment);
            } else if (!waiting.isEmpty()) {
                break;
            }
        }
        if (waiting.isEmpty()) {
            return null;
        }
        if (waiting.size() == 1) {
            return pool -> build(waiting.get(0), pool);
        }
        List<VectorRun> runs = new ArrayList<>();
        waiting.forEach(segment -> runs.addAll(segment.runs()));
        Segment together = new Segment(nextId++, runs, slotBits);
        return pool -> buildTogether(waiting, together, pool);
    }

    private SegmentMaintenance.Job nextMergeJob(long nowNanos) {
        boolean idle = nowNanos - lastWriteNanos >= settings.idleAfter().toNanos();
        if (idle && open.count() >= idleSealVectors) {
            seal();
            publish();
            maintenance.wake();
            return null;
        }
        if (ann == null) {
            return null;
        }
        MergePolicy.Spec spec = policy.pick(segments, idle);
        if (spec == null) {
            return null;
        }
        long id = nextId++;
        if (spec.compact()) {
            long firstRunId = nextId;
            nextId += spec.inputs().get(0).runCount();
            return pool -> compact(spec.inputs().get(0), id, firstRunId, pool);
        }
        return pool -> merge(spec.inputs(), id, pool);
    }

    private void persist(VectorRun run) throws IOException {
        directory.persist(run);
        lock.lock();
        try {
            changedSinceManifest = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Builds the graph of a freshly sealed segment and installs it. */
    private void build(Segment segment, ForkJoinPool pool) throws IOException {
        long start = System.nanoTime();
        SegmentGraph graph = builds.build(segment, pool);
        if (graph == null) {
            dropEmpty(segment);
            return;
        }
        lock.lock();
        try {
            if (closed || !segments.contains(segment)) {
                obsoleteFiles.add(graph.file.file());
                return;
            }
            segment.installGraph(graph);
            changedSinceManifest = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        lastBuildMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        LOG.debug("{}: built the graph of {} in {} ms", name, segment, lastBuildMillis);
    }

    /** Builds one graph over several segments that wait for theirs, and puts the segment where they were. */
    private void buildTogether(List<Segment> waiting, Segment together, ForkJoinPool pool) throws IOException {
        long start = System.nanoTime();
        SegmentGraph graph = builds.build(together, pool);
        lock.lock();
        try {
            if (closed || !segments.containsAll(waiting)) {
                if (graph != null) {
                    obsoleteFiles.add(graph.file.file());
                }
                return;
            }
            if (graph == null) {
                waiting.forEach(segment -> segment.runs().forEach(run -> obsoleteFiles.add(run.fileName())));
                List<Segment> next = new ArrayList<>(segments);
                next.removeAll(waiting);
                segments = List.copyOf(next);
                changedSinceManifest = true;
                publish();
                return;
            }
            together.installGraph(graph);
            swapIn(waiting, together);
        } finally {
            lock.unlock();
        }
        lastBuildMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        LOG.debug("{}: built one graph over {} in {} ms", name, waiting, lastBuildMillis);
    }

    /** Merges segments ({@link GraphBuilds#merge}) and puts the result where the inputs were. */
    private void merge(List<Segment> inputs, long mergedId, ForkJoinPool pool) throws IOException, CorruptStateException {
        long start = System.nanoTime();
        Segment merged = builds.merge(inputs, mergedId, pool);
        lock.lock();
        try {
            if (closed || !segments.containsAll(inputs)) {
                obsoleteFiles.add(merged.graph().file.file());
                return;
            }
            for (Segment input : inputs) {
                obsoleteFiles.add(input.graph().file.file());
            }
            swapIn(inputs, merged);
            merges++;
        } finally {
            lock.unlock();
        }
        lastMergeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        LOG.debug("{}: merged {} into {} in {} ms", name, inputs, merged, lastMergeMillis);
    }

    /**
     * Rewrites a segment without its dead slots ({@link GraphBuilds#compact}); the items move to their new slots
     * unless a write moved or deleted them meanwhile.
     */
    private void compact(Segment segment, long compactedId, long firstRunId, ForkJoinPool pool) throws IOException {
        long start = System.nanoTime();
        GraphBuilds.Compaction compaction = builds.compact(segment, compactedId, firstRunId, settings.runVectors(), pool);
        if (compaction == null) {
            dropEmpty(segment);
            return;
        }
        Segment compacted = compaction.compacted();
        lock.lock();
        try {
            if (closed || !segments.contains(segment)) {
                obsoleteFiles.add(compacted.graph().file.file());
                compaction.copies().forEach(run -> obsoleteFiles.add(run.fileName()));
                return;
            }
            List<SlotRef> movedFrom = compaction.movedFrom();
            for (int i = 0; i < movedFrom.size(); i++) {
                SlotRef from = movedFrom.get(i);
                VectorRun to = compacted.run(i >>> slotBits);
                int toSlot = i & ((1 << slotBits) - 1);
                if (from.run().dead(from.slot())) {
                    to.kill(toSlot, 0); // killed while the copy was made: dead in the copy too
                } else {
                    live.put(from.run().id(from.slot()), new SlotRef(to, toSlot));
                }
            }
            segment.runs().forEach(run -> obsoleteFiles.add(run.fileName()));
            obsoleteFiles.add(segment.graph().file.file());
            swapIn(List.of(segment), compacted);
            merges++;
        } finally {
            lock.unlock();
        }
        lastMergeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        LOG.debug("{}: compacted {} into {} in {} ms", name, segment, compacted, lastMergeMillis);
    }

    /** Puts {@code replacement} where the first of {@code inputs} was and drops the rest (under the lock). */
    private void swapIn(List<Segment> inputs, Segment replacement) {
        List<Segment> next = new ArrayList<>();
        boolean placed = false;
        for (Segment segment : segments) {
            if (inputs.contains(segment)) {
                if (!placed) {
                    next.add(replacement);
                    placed = true;
                }
            } else {
                next.add(segment);
            }
        }
        segments = List.copyOf(next);
        changedSinceManifest = true;
        publish();
    }

    private void dropEmpty(Segment segment) {
        lock.lock();
        try {
            if (closed || !segments.contains(segment)) {
                return;
            }
            for (VectorRun run : segment.runs()) {
                if (run.fileName() != null) {
                    obsoleteFiles.add(run.fileName());
                }
            }
            List<Segment> next = new ArrayList<>(segments);
            next.remove(segment);
            segments = List.copyOf(next);
            changedSinceManifest = true;
            publish();
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- persistence

    /**
     * Writes a manifest if anything changed and the last one is at least {@link SegmentSettings#persistInterval()}
     * old. Called at the store's commits; a failure to write is logged and retried at the next commit, since the
     * store's RocksDB and changelog stay the system of record.
     */
    public void checkpoint() {
        checkpoint(-1);
    }

    /**
     * @param committedOffset the changelog offset Kafka Streams commits with this checkpoint (-1 if unknown): every
     *                        record up to it was applied or skipped, so the index covers it once its runs are on disk
     */
    public void checkpoint(long committedOffset) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            if (committedOffset > lastApplied) {
                lastApplied = committedOffset;
                changedSinceManifest = true;
            }
            writeManifestIfDue(false);
        } finally {
            lock.unlock();
        }
    }

    private void writeManifestIfDue(boolean force) {
        if (!changedSinceManifest) {
            return;
        }
        if (!force && System.nanoTime() - lastManifestNanos < settings.persistInterval().toNanos()) {
            return;
        }
        Manifest manifest = Manifest.of(fingerprint, segments, open, lastApplied, nextId);
        if (manifest == null) {
            return;
        }
        try {
            directory.writeManifest(manifest);
        } catch (IOException e) {
            LOG.warn("{}: the segment manifest could not be written ({}); the next commit tries again, and a restart "
                    + "before then rebuilds from the store", name, e.toString());
            return;
        }
        changedSinceManifest = false;
        lastManifestNanos = System.nanoTime();
        persistedCoverage = manifest.coveredOffset();
        for (String file : obsoleteFiles) {
            directory.delete(file);
        }
        obsoleteFiles.clear();
    }

    /**
     * Seals the open run, writes every unwritten run and a last manifest (so a restart on this state replays nothing
     * it need not), and stops the partition's background work. Searches fail after.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            try {
                seal();
                for (Segment segment : segments) {
                    for (VectorRun run : segment.runs()) {
                        directory.persist(run);
                    }
                }
                writeManifestIfDue(true);
            } catch (IOException | RuntimeException e) {
                LOG.warn("{}: the segments could not all be written at close ({}); the next open rebuilds what is "
                        + "missing from the store", name, e.toString());
            }
            closed = true;
            publish();
            awaitJobsStopped();
        } finally {
            lock.unlock();
        }
        maintenance.unregister(this);
    }

    /**
     * Waits (under the lock, which the wait releases) for the jobs still running to see the close, and deletes the
     * files they wrote for results nobody will install: Kafka Streams may hand the state directory to the next owner
     * of the task the moment the store is closed.
     */
    private void awaitJobsStopped() {
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        boolean interrupted = false;
        while (runningJobs > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                LOG.warn("{}: {} background job(s) still running {} s after close; their files, if any, are deleted "
                        + "by the next open of this directory", name, runningJobs, CLOSE_WAIT.toSeconds());
                break;
            }
            try {
                changed.awaitNanos(left);
            } catch (InterruptedException e) {
                interrupted = true;
                break;
            }
        }
        for (String file : obsoleteFiles) {
            directory.delete(file);
        }
        obsoleteFiles.clear();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "index " + name;
    }
}
