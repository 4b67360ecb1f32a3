package io.clipstream.store;

import io.clipstream.schema.Modality;
import io.clipstream.tagging.Tag;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.internals.RecordBatchingStateRestoreCallback;
import org.apache.kafka.streams.processor.internals.StateRestoreCallbackAdapter;
import org.apache.kafka.streams.query.FailureReason;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedBytesStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One partition of a vector topic, materialised as a KTable store that also answers nearest-neighbour queries.
 *
 * <h2>How the store relates to the topic</h2>
 * <ul>
 *   <li><b>The topic</b> ({@code vectors.image}, {@code vectors.text}, compacted) is where vectors are published and,
 *       with {@code topology.optimization=reuse.ktable.source.topics}, also this store's changelog: Kafka Streams
 *       creates no {@code -changelog} topic and restores the store by replaying the topic partition.</li>
 *   <li><b>RocksDB</b> (a timestamped RocksDB store, wrapped) is the store's system of record on this instance: every
 *       accepted vector record, keyed by item id, in the serialised form it had on the topic. Kafka Streams keeps the
 *       committed changelog offset inside it, so a restart with local state replays only what came after.</li>
 *   <li><b>The index</b> ({@link VectorIndex}, in memory) is derived: rebuilt from RocksDB when the store opens, and
 *       kept current on every put, delete and restored record. It holds each accepted vector ({@link #bytesPerVector()}
 *       bytes), its filterable fields, and what a hit returns (modality, metadata, text). With {@link AnnSettings}
 *       (the default) it is a {@link GraphVectorIndex}: a JVector graph walked for partitions of at least
 *       {@code index.ann.min.size} vectors, an exact scan below that and for {@link KnnQuery#exact()}.</li>
 * </ul>
 *
 * <h2>Rejected records</h2>
 * A record the {@link VectorDecoder} refuses, or whose id, dimension, finiteness or norm is wrong, is counted
 * ({@link #rejectedCount()}), logged at WARN with its key and reason, and treated as a delete: it is kept out of the
 * index <em>and</em> out of RocksDB, and an earlier vector under the same key is removed, because the topic's latest
 * value for that key is not a vector this index can serve. Nothing requires keeping it: nothing reads this table but
 * the index and IQv2 lookups, and the record itself stays on the topic. So RocksDB and the index always hold the same
 * items, and a {@code KeyQuery} finds exactly the items a search can return.
 *
 * <h2>Format and wrapping</h2>
 * The store is a {@link TimestampedBytesStore}: values arrive as an 8-byte timestamp followed by the serialised
 * record, both from the KTable (through the metered and caching wrappers) and from restore (Kafka Streams prepends
 * the record timestamp). It must be: for a persistent store that is not timestamped, Kafka Streams inserts an adapter
 * that rejects every IQv2 query but {@code KeyQuery} and {@code RangeQuery}. The metered and caching wrappers pass
 * other queries through to this store unchanged, so {@link KnnQuery} reaches {@link #query}. Keys are the item ids as
 * UTF-8 ({@code Serdes.String()}).
 *
 * <h2>Threads</h2>
 * Puts come from the stream thread, restores from the restore thread, searches from any thread through IQv2. A
 * read-write lock makes each index change atomic with respect to searches; a search holds the read lock for its
 * scan, so writes to this partition wait for the scans in progress.
 */
public final class VectorStore implements KeyValueStore<Bytes, byte[]>, TimestampedBytesStore {

    private static final Logger LOG = LoggerFactory.getLogger(VectorStore.class);
    /** Vectors read from RocksDB per batch while rebuilding the index: bounds the batch held beside the index. */
    private static final int REBUILD_BATCH = 8_192;

    /** Timestamped stores prefix each value with its record timestamp, a big-endian long. */
    static final int TIMESTAMP_BYTES = Long.BYTES;

    private final KeyValueStore<Bytes, byte[]> rocks;
    private final VectorDecoder decoder;
    private final DecodedHandoff handoff;
    private final VectorStoreSettings settings;
    private final OpenVectorStores openStores;
    private final LongAdder rejectedAcrossStores;
    private final LongAdder rejected = new LongAdder();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final RestoreProgress restoreProgress = new RestoreProgress();
    private volatile RestoreProgress.Summary lastRestore;

    // Guarded by lock; null while the store is closed.
    private VectorIndex index;
    private Map<String, HitPayload> payloads;

    private volatile TaskId taskId;
    private RecordBatchingStateRestoreCallback rocksRestore;

    /**
     * @param rocks                a persistent timestamped store, as from
     *                             {@code Stores.persistentTimestampedKeyValueStore(name).get()}
     * @param handoff              gives put the vector the KTable's serializer decoded, sparing the decode
     * @param rejectedAcrossStores counts rejections of every store of one supplier, for metrics
     */
    VectorStore(KeyValueStore<Bytes, byte[]> rocks, VectorDecoder decoder, DecodedHandoff handoff,
                VectorStoreSettings settings, OpenVectorStores openStores, LongAdder rejectedAcrossStores) {
        if (!(rocks instanceof TimestampedBytesStore) || !rocks.persistent()) {
            throw new IllegalArgumentException("vector store '" + rocks.name() + "' needs a persistent timestamped "
                    + "store underneath, got " + rocks.getClass().getName()
                    + ": build it with Stores.persistentTimestampedKeyValueStore");
        }
        this.rocks = rocks;
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        this.handoff = Objects.requireNonNull(handoff, "handoff");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.openStores = Objects.requireNonNull(openStores, "openStores");
        this.rejectedAcrossStores = Objects.requireNonNull(rejectedAcrossStores, "rejectedAcrossStores");
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public void init(StateStoreContext context, StateStore root) {
        RegistrationCapture capture = new RegistrationCapture(context);
        rocks.init(capture, root);
        taskId = context.taskId();
        rocksRestore = StateRestoreCallbackAdapter.adapt(capture.restoreCallback(name()));
        // Register before rebuilding: once registered, the state manager closes the store if anything below fails.
        context.register(root, (RecordBatchingStateRestoreCallback) this::restoreBatch, capture.commitCallback());
        rebuildIndexFromRocks();
        openStores.opened(this);
    }

    /**
     * Reads every vector RocksDB already holds (local state from an earlier run) into a fresh index. Records that the
     * decoder now refuses (it or the settings changed) are deleted, so RocksDB keeps holding exactly the index's items.
     */
    private void rebuildIndexFromRocks() {
        long start = System.nanoTime();
        VectorIndex fresh = settings.newIndex(this::storedVector);
        Map<String, HitPayload> freshPayloads = new HashMap<>();
        List<Bytes> refused = new ArrayList<>();
        List<VectorIndex.Change> batch = new ArrayList<>(REBUILD_BATCH);
        try (KeyValueIterator<Bytes, byte[]> all = rocks.all()) {
            while (all.hasNext()) {
                KeyValue<Bytes, byte[]> entry = all.next();
                String id = idOf(entry.key.get());
                IndexedVector vector = acceptOrReject(id, entry.value, null);
                if (vector == null) {
                    refused.add(entry.key);
                } else {
                    batch.add(new VectorIndex.Change(id, vector.vector(), vector.filterableFields()));
                    freshPayloads.put(id, HitPayload.of(vector));
                    if (batch.size() == REBUILD_BATCH) {
                        fresh.applyAll(batch);
                        batch.clear();
                    }
                }
            }
        }
        fresh.applyAll(batch);
        for (Bytes key : refused) {
            rocks.put(key, null);
        }
        VectorIndex replaced;
        lock.writeLock().lock();
        try {
            replaced = index;
            index = fresh;
            payloads = freshPayloads;
        } finally {
            lock.writeLock().unlock();
        }
        if (replaced != null) {
            replaced.close();
        }
        LOG.info("Vector store '{}' task {} opened with {} vectors from local state ({} refused and deleted) in {} s",
                name(), taskId, fresh.size(), refused.size(), String.format("%.3f", (System.nanoTime() - start) / 1e9));
    }

    @Override
    public void close() {
        openStores.closed(this);
        lock.writeLock().lock();
        try {
            if (index != null) {
                index.close();
            }
            index = null;
            payloads = null;
        } finally {
            lock.writeLock().unlock();
        }
        rocks.close();
    }

    @Override
    public String name() {
        return rocks.name();
    }

    @Override
    public boolean persistent() {
        return true;
    }

    @Override
    public boolean isOpen() {
        return rocks.isOpen();
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        rocks.commit(changelogOffsets);
    }

    @Override
    public Long committedOffset(TopicPartition partition) {
        return rocks.committedOffset(partition);
    }

    /** RocksDB keeps the committed changelog offsets next to the data, so they stay consistent with it. */
    @Override
    @Deprecated
    public boolean managesOffsets() {
        return rocks.managesOffsets();
    }

    @Override
    public Position getPosition() {
        return rocks.getPosition();
    }

    // ---------------------------------------------------------------- writes

    @Override
    public void put(Bytes key, byte[] valueAndTimestamp) {
        Objects.requireNonNull(key, "key cannot be null");
        String id = idOf(key.get());
        IndexedVector vector = valueAndTimestamp == null ? null
                : acceptOrReject(id, valueAndTimestamp, handoff.take(valueAndTimestamp, TIMESTAMP_BYTES));
        // RocksDB first: if it fails, the index still agrees with it.
        rocks.put(key, vector == null ? null : valueAndTimestamp);
        lock.writeLock().lock();
        try {
            apply(id, vector);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public byte[] putIfAbsent(Bytes key, byte[] valueAndTimestamp) {
        byte[] existing = rocks.get(key);
        if (existing == null && valueAndTimestamp != null) {
            put(key, valueAndTimestamp);
        }
        return existing;
    }

    @Override
    public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
        for (KeyValue<Bytes, byte[]> entry : entries) {
            put(entry.key, entry.value);
        }
    }

    @Override
    public byte[] delete(Bytes key) {
        Objects.requireNonNull(key, "key cannot be null");
        byte[] previous = rocks.delete(key);
        lock.writeLock().lock();
        try {
            apply(idOf(key.get()), null);
        } finally {
            lock.writeLock().unlock();
        }
        return previous;
    }

    /**
     * Restores a batch of changelog (= vector topic) records: the inner RocksDB callback writes them (refused records
     * as tombstones) and tracks the position, then the index takes the same changes in the same order.
     */
    private void restoreBatch(Collection<ConsumerRecord<byte[], byte[]>> records) {
        List<ConsumerRecord<byte[], byte[]>> toWrite = new ArrayList<>(records.size());
        List<String> ids = new ArrayList<>(records.size());
        List<IndexedVector> vectors = new ArrayList<>(records.size());
        for (ConsumerRecord<byte[], byte[]> record : records) {
            String id = idOf(record.key());
            IndexedVector vector = record.value() == null ? null : acceptOrReject(id, record.value(), null);
            toWrite.add(vector == null && record.value() != null ? asTombstone(record) : record);
            ids.add(id);
            vectors.add(vector);
        }
        long rocksStart = System.nanoTime();
        rocksRestore.restoreBatch(toWrite);
        long indexStart = System.nanoTime();
        List<VectorIndex.Change> changes = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            IndexedVector vector = vectors.get(i);
            changes.add(vector == null ? VectorIndex.Change.removal(ids.get(i))
                    : new VectorIndex.Change(ids.get(i), vector.vector(), vector.filterableFields()));
        }
        lock.writeLock().lock();
        try {
            // One batch call: the graph links the batch's new nodes on several threads.
            requireOpenIndex().applyAll(changes);
            for (int i = 0; i < ids.size(); i++) {
                IndexedVector vector = vectors.get(i);
                if (vector == null) {
                    payloads.remove(ids.get(i));
                } else {
                    payloads.put(ids.get(i), HitPayload.of(vector));
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
        restoreProgress.batch(records.size(), indexStart - rocksStart, System.nanoTime() - indexStart);
    }

    /**
     * Logs how long the restore from the changelog took and how much of it the index (graph build) took, and starts
     * counting afresh. Kafka Streams reports the end of a restore to a {@code StateRestoreListener}, not to the store,
     * so the application's listener calls this ({@link VectorRestoreLogger}).
     *
     * @return the restore figures logged
     */
    public RestoreProgress.Summary logRestoreEnd(long totalRestored) {
        RestoreProgress.Summary summary = restoreProgress.finish();
        lastRestore = summary;
        LOG.info("Restored {} records ({} vectors now) into {}-{} in {} s (RocksDB writes {} s, index/graph build {} s)",
                totalRestored, size(), name(), taskId == null ? "?" : taskId.partition(),
                String.format("%.3f", summary.wallSeconds()), String.format("%.3f", summary.rocksSeconds()),
                String.format("%.3f", summary.indexSeconds()));
        return summary;
    }

    private static ConsumerRecord<byte[], byte[]> asTombstone(ConsumerRecord<byte[], byte[]> record) {
        return new ConsumerRecord<>(record.topic(), record.partition(), record.offset(), record.timestamp(),
                record.timestampType(), record.serializedKeySize(), 0, record.key(), null, record.headers(),
                record.leaderEpoch(), record.deliveryCount());
    }

    /** Puts the vector into the index, or removes the id when the vector is null. Caller holds the write lock. */
    private void apply(String id, IndexedVector vector) {
        VectorIndex current = requireOpenIndex();
        if (vector == null) {
            current.remove(id);
            payloads.remove(id);
        } else {
            current.upsert(id, vector.vector(), vector.filterableFields());
            payloads.put(id, HitPayload.of(vector));
        }
    }

    /**
     * Decodes and checks one stored value (timestamp prefix included).
     *
     * @param decoded the value already decoded (by the KTable's serializer, through the handoff), or null to decode it
     * @return the vector, or null after counting and logging the rejection
     */
    private IndexedVector acceptOrReject(String id, byte[] valueAndTimestamp, IndexedVector decoded) {
        try {
            if (valueAndTimestamp.length < TIMESTAMP_BYTES) {
                throw new VectorRejectedException(VectorRejectedException.Reason.UNDECODABLE,
                        "stored value of " + valueAndTimestamp.length + " bytes is shorter than its timestamp prefix");
            }
            IndexedVector vector = decoded != null ? decoded
                    : decoder.decode(Arrays.copyOfRange(valueAndTimestamp, TIMESTAMP_BYTES, valueAndTimestamp.length));
            check(id, vector);
            return vector;
        } catch (VectorRejectedException e) {
            rejected.increment();
            rejectedAcrossStores.increment();
            LOG.warn("Vector store '{}' task {} rejected key '{}' ({}): {}", name(), taskId, id, e.reason(),
                    e.getMessage());
            return null;
        }
    }

    private void check(String id, IndexedVector vector) throws VectorRejectedException {
        if (!id.equals(vector.id())) {
            throw new VectorRejectedException(VectorRejectedException.Reason.KEY_MISMATCH, "record id '" + vector.id()
                    + "' differs from its key '" + id + "': producers must key vector records by item id");
        }
        float[] components = vector.vector();
        if (components.length != settings.dimension()) {
            throw new VectorRejectedException(VectorRejectedException.Reason.WRONG_DIMENSION, "vector has "
                    + components.length + " components, this store holds dimension " + settings.dimension()
                    + ": re-embed the item with the index's model");
        }
        int nonFinite = VectorMath.firstNonFinite(components);
        if (nonFinite >= 0) {
            throw new VectorRejectedException(VectorRejectedException.Reason.NOT_FINITE, "component " + nonFinite
                    + " is " + components[nonFinite] + ": the embedder produced an invalid vector");
        }
        if (!VectorMath.isNormalised(components)) {
            throw new VectorRejectedException(VectorRejectedException.Reason.NOT_NORMALISED, "squared L2 norm is "
                    + VectorMath.squaredNorm(components) + ", not 1: vectors must be L2-normalised before publishing");
        }
    }

    // ---------------------------------------------------------------- search

    /**
     * The k nearest vectors of this partition.
     *
     * @throws IllegalArgumentException if the query's dimension differs from the store's
     * @throws IllegalStateException    if the store is closed
     */
    public KnnResult search(KnnQuery query) {
        float minScore = query.minScore().orElse(Float.NEGATIVE_INFINITY);
        FieldFilter filter = FieldFilter.of(query.filters());
        lock.readLock().lock();
        try {
            VectorIndex current = requireOpenIndex();
            IndexSearchResult found = query.isExact()
                    ? current.searchExact(query.vectorUnsafe(), query.k(), filter, minScore)
                    : current.search(query.vectorUnsafe(), query.k(), filter, minScore);
            List<ScoredHit> hits = new ArrayList<>(found.hits().size());
            for (IndexHit hit : found.hits()) {
                HitPayload payload = payloads.get(hit.id());
                hits.add(new ScoredHit(hit.id(), payload.modality(), hit.score(), payload.metadata(), payload.text(),
                        payload.labels()));
            }
            return new KnnResult(hits, found.scanned());
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Answers a {@link KnnQuery} from the index, a {@link KeyQuery} with a plain RocksDB read, and hands every other
     * query to RocksDB. A bounded query waits for nothing: it fails with {@code NOT_UP_TO_BOUND} if this partition has
     * not yet seen the bound's offsets.
     */
    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        if (query instanceof KeyQuery<?, ?> keyQuery) {
            return keyQuery(keyQuery, positionBound, config);
        }
        if (!(query instanceof KnnQuery knn)) {
            return rocks.query(query, positionBound, config);
        }
        long start = System.nanoTime();
        Position position = rocks.getPosition().copy();
        QueryResult<KnnResult> result;
        if (!reached(position, positionBound)) {
            result = QueryResult.notUpToBound(position, positionBound, taskId.partition());
        } else {
            try {
                result = QueryResult.forResult(search(knn));
            } catch (IllegalArgumentException | IllegalStateException e) {
                result = QueryResult.forFailure(FailureReason.STORE_EXCEPTION,
                        "vector store '" + name() + "' task " + taskId + ": " + e.getMessage());
            }
        }
        if (config.isCollectExecutionInfo()) {
            result.addExecutionInfo("Handled in " + getClass() + " in " + (System.nanoTime() - start) + "ns");
        }
        result.setPosition(position);
        @SuppressWarnings("unchecked") // KnnQuery is a Query<KnnResult>, so R is KnnResult
        QueryResult<R> typed = (QueryResult<R>) (QueryResult<?>) result;
        return typed;
    }

    /**
     * An item lookup, which must not go through {@code RocksDBStore.query}: that holds RocksDB's position lock while
     * its get takes the store lock, and put takes the two the other way round, so a lookup arriving during a write
     * could deadlock this partition's stream thread for good (KAFKA-19629, seen as GET /v1/items hanging while the
     * index consumed). {@code rocks.get} takes the store lock alone.
     */
    private <R> QueryResult<R> keyQuery(KeyQuery<?, ?> query, PositionBound positionBound, QueryConfig config) {
        long start = System.nanoTime();
        // Read the position before the value: the value is then at least as new as the position reported with it.
        Position position = rocks.getPosition().copy();
        QueryResult<byte[]> result;
        if (!reached(position, positionBound)) {
            result = QueryResult.notUpToBound(position, positionBound, taskId.partition());
        } else if (!(query.getKey() instanceof Bytes key)) {
            result = QueryResult.forFailure(FailureReason.STORE_EXCEPTION, "vector store '" + name() + "' task " + taskId
                    + ": a KeyQuery must reach the store with a serialised (Bytes) key, got "
                    + (query.getKey() == null ? "null" : query.getKey().getClass().getName()));
        } else {
            result = QueryResult.forResult(rocks.get(key));
        }
        if (config.isCollectExecutionInfo()) {
            result.addExecutionInfo("Handled in " + getClass() + " in " + (System.nanoTime() - start) + "ns");
        }
        result.setPosition(position);
        @SuppressWarnings("unchecked") // a KeyQuery at this layer is a Query<byte[]>: the metered store deserialises
        QueryResult<R> typed = (QueryResult<R>) (QueryResult<?>) result;
        return typed;
    }

    /** Whether this partition has seen at least the bound's offset for its own partition of every bounded topic. */
    private boolean reached(Position position, PositionBound bound) {
        if (bound.isUnbounded()) {
            return true;
        }
        int partition = taskId.partition();
        Position required = bound.position();
        for (String topic : required.getTopics()) {
            Long needed = required.getPartitionPositions(topic).get(partition);
            if (needed == null) {
                continue;
            }
            Long seen = position.getPartitionPositions(topic).get(partition);
            if (seen == null || seen < needed) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- reads, straight from RocksDB

    @Override
    public byte[] get(Bytes key) {
        return rocks.get(key);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
        return rocks.range(from, to);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
        return rocks.reverseRange(from, to);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> all() {
        return rocks.all();
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseAll() {
        return rocks.reverseAll();
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<Bytes, byte[]> prefixScan(P prefix, PS prefixKeySerializer) {
        return rocks.prefixScan(prefix, prefixKeySerializer);
    }

    @Override
    public long approximateNumEntries() {
        return rocks.approximateNumEntries();
    }

    // ---------------------------------------------------------------- introspection

    /** The task (sub-topology and partition) this store serves; null before {@link #init}. */
    public TaskId taskId() {
        return taskId;
    }

    /** The figures of the last restore from the changelog this store logged, or null if none. */
    public RestoreProgress.Summary lastRestore() {
        return lastRestore;
    }

    /** How many vectors the index holds (0 while closed). */
    public int size() {
        lock.readLock().lock();
        try {
            return index == null ? 0 : index.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The index memory one vector takes: its components, plus its graph edges and compressed code when the partition
     * has a graph (see {@link GraphVectorIndex#bytesPerVector()}); ids, fields and payloads come on top.
     */
    public long bytesPerVector() {
        lock.readLock().lock();
        try {
            return index == null ? settings.newIndexBytesPerVector() : index.bytesPerVector();
        } finally {
            lock.readLock().unlock();
        }
    }

    public int dimension() {
        return settings.dimension();
    }

    /**
     * How many records this store has rejected since it was created. A restore from the topic meets the rejected
     * records again and counts them again.
     */
    public long rejectedCount() {
        return rejected.sum();
    }

    private VectorIndex requireOpenIndex() {
        if (index == null) {
            throw new IllegalStateException("vector store '" + name() + "' is closed or not yet initialised");
        }
        return index;
    }

    /**
     * The float32 vector RocksDB holds for the id (compressed indexes re-rank with it), or null if none. Values were
     * checked when written, so they decode.
     */
    private float[] storedVector(String id) {
        byte[] valueAndTimestamp = rocks.get(Bytes.wrap(id.getBytes(StandardCharsets.UTF_8)));
        if (valueAndTimestamp == null) {
            return null;
        }
        try {
            return decoder.decode(Arrays.copyOfRange(valueAndTimestamp, TIMESTAMP_BYTES, valueAndTimestamp.length)).vector();
        } catch (VectorRejectedException e) {
            throw new IllegalStateException("vector store '" + name() + "' holds an undecodable value for id '" + id
                    + "' although it was checked when written: " + e.getMessage(), e);
        }
    }

    private static String idOf(byte[] key) {
        return new String(key, StandardCharsets.UTF_8);
    }

    /** What a hit returns beside id and score, kept in memory so that a search needs no RocksDB reads. */
    private record HitPayload(Modality modality, Map<String, String> metadata, String text, List<Tag> labels) {
        static HitPayload of(IndexedVector vector) {
            return new HitPayload(vector.modality(), vector.metadata(), vector.text(), vector.labels());
        }
    }
}
