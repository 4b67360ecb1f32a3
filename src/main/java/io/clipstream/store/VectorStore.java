package io.clipstream.store;

import io.clipstream.index.FieldFilter;
import io.clipstream.index.FullPrecisionSource;
import io.clipstream.index.IndexChange;
import io.clipstream.index.IndexStats;
import io.clipstream.index.IndexedVector;
import io.clipstream.index.ItemHit;
import io.clipstream.index.PartitionHits;
import io.clipstream.index.SearchOptions;
import io.clipstream.index.SegmentMaintenance;
import io.clipstream.index.SegmentedIndex;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.processor.internals.RecordBatchingStateRestoreCallback;
import org.apache.kafka.streams.processor.internals.StateRestoreCallbackAdapter;
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

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One partition of a vector topic, materialised as a table store that also answers nearest-neighbour queries: the
 * Kafka Streams side of the index. It keeps RocksDB and the {@link SegmentedIndex} in step and tells Kafka Streams
 * where to restore from.
 *
 * <h2>How the store relates to the topic</h2>
 * <ul>
 *   <li><b>The topic</b> ({@code vectors.image}, {@code vectors.text}, compacted) is where vectors are published and
 *       also this store's changelog (the index topology adds it as a read-only state store; a KTable with
 *       {@code reuse.ktable.source.topics} works the same): Kafka Streams creates no {@code -changelog} topic and
 *       restores the store by replaying the topic partition.</li>
 *   <li><b>RocksDB</b> (a timestamped RocksDB store, wrapped) is the store's system of record on this instance: every
 *       accepted vector record, keyed by item id, in the serialised form it had on the topic. Kafka Streams keeps the
 *       committed changelog offset inside it.</li>
 *   <li><b>The index</b> ({@link SegmentedIndex}) is derived: an upsert or delete is searchable the moment
 *       {@code put} returns, its graphs are built in the background, and its segments are written under this store's
 *       directory with a manifest at each commit. On open, segments that a valid manifest lists are loaded and
 *       {@link #committedOffset} reports the offset they cover, so Kafka Streams replays only the changelog after it;
 *       without a valid manifest the index is rebuilt from RocksDB.</li>
 * </ul>
 *
 * <h2>Rejected records</h2>
 * A record that {@link VectorRecordCheck} refuses is counted, logged, and treated as a delete: kept out of the index
 * <em>and</em> out of RocksDB, and an earlier vector under the same key is removed, because the topic's latest value
 * for that key is not a vector this index can serve. So RocksDB and the index always hold the same items.
 *
 * <h2>Format and wrapping</h2>
 * The store is a {@link TimestampedBytesStore}: values arrive as an 8-byte timestamp followed by the serialised
 * record, both from processing and from restore. It must be: for a persistent store that is not timestamped, Kafka
 * Streams inserts an adapter that rejects every IQv2 query but {@code KeyQuery} and {@code RangeQuery}. Keys are the
 * item ids as UTF-8.
 */
public final class VectorStore implements KeyValueStore<Bytes, byte[]>, TimestampedBytesStore {

    private static final Logger LOG = LoggerFactory.getLogger(VectorStore.class);
    /** Timestamped stores prefix each value with its record timestamp, a big-endian long. */
    static final int TIMESTAMP_BYTES = Long.BYTES;

    private final KeyValueStore<Bytes, byte[]> rocks;
    private final VectorStoreSettings settings;
    private final OpenVectorStores openStores;
    private final VectorRecordCheck check;
    private final DecodedHandoff handoff;
    private final SegmentMaintenance maintenance;
    private final VectorStoreQueries queries;
    private volatile RestoreProgress.Summary lastRestore;

    private volatile SegmentedIndex index;
    private volatile TaskId taskId;
    private StateStoreContext context;
    private StoreRestore restore;

    /**
     * @param rocks                a persistent timestamped store, as from
     *                             {@code Stores.persistentTimestampedKeyValueStore(name).get()}
     * @param rejectedAcrossStores counts rejections of every store of one supplier, for metrics
     * @param handoff              where the table's value serializer leaves the vector it has already decoded
     */
    VectorStore(KeyValueStore<Bytes, byte[]> rocks, VectorDecoder decoder, VectorStoreSettings settings,
                OpenVectorStores openStores, LongAdder rejectedAcrossStores, DecodedHandoff handoff,
                SegmentMaintenance maintenance) {
        if (!(rocks instanceof TimestampedBytesStore) || !rocks.persistent()) {
            throw new IllegalArgumentException("vector store '" + rocks.name() + "' needs a persistent timestamped "
                    + "store underneath, got " + rocks.getClass().getName()
                    + ": build it with Stores.persistentTimestampedKeyValueStore");
        }
        this.rocks = rocks;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.openStores = Objects.requireNonNull(openStores, "openStores");
        this.check = new VectorRecordCheck(rocks.name(), Objects.requireNonNull(decoder, "decoder"), settings.dimension(),
                Objects.requireNonNull(rejectedAcrossStores, "rejectedAcrossStores"));
        this.handoff = Objects.requireNonNull(handoff, "handoff");
        this.maintenance = Objects.requireNonNull(maintenance, "maintenance");
        this.queries = new VectorStoreQueries(rocks.name(), rocks, this::search);
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public void init(StateStoreContext context, StateStore root) {
        RegistrationCapture capture = new RegistrationCapture(context);
        rocks.init(capture, root);
        this.context = context;
        taskId = context.taskId();
        restore = new StoreRestore(name(), taskId, rocks, StateRestoreCallbackAdapter.adapt(capture.restoreCallback(name())),
                check);
        // Register before opening the index: once registered, the state manager closes the store if anything below fails.
        context.register(root, (RecordBatchingStateRestoreCallback) records -> restore.restoreBatch(records, requireOpenIndex()),
                capture.commitCallback());
        Path segments = context.stateDir().toPath().resolve(name() + ".segments");
        SegmentedIndex opened = SegmentedIndex.open(name() + "-" + taskId.partition(), segments, settings.dimension(),
                settings.modelId(), settings.ann(), settings.segments(), fullPrecisionSource(), maintenance);
        index = opened;
        LOG.info("Vector store '{}' task {}: {}", name(), taskId, opened.openedHow());
        if (opened.coveredOffset().isEmpty()) {
            restore.rebuild(opened);
        }
        openStores.opened(this);
    }

    @Override
    public void close() {
        openStores.closed(this);
        SegmentedIndex closing = index;
        if (closing != null) {
            closing.close();
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

    /** Commits RocksDB, then writes the index's manifest if one is due. */
    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        rocks.commit(changelogOffsets);
        SegmentedIndex current = index;
        if (current != null) {
            long committed = -1;
            for (Map.Entry<TopicPartition, Long> offset : changelogOffsets.entrySet()) {
                if (offset.getKey().partition() == taskId.partition() && offset.getValue() != null) {
                    committed = Math.max(committed, offset.getValue());
                }
            }
            current.checkpoint(committed);
        }
    }

    /**
     * Where Kafka Streams resumes restoring: RocksDB's committed offset, or the offset the loaded segments cover if
     * that is lower, so the changelog records after it reach the index again. Replaying records RocksDB already holds
     * rewrites the same values: the latest record per key wins either way.
     */
    @Override
    public Long committedOffset(TopicPartition partition) {
        Long committed = rocks.committedOffset(partition);
        SegmentedIndex current = index;
        OptionalLong covered = current == null ? OptionalLong.empty() : current.coveredOffset();
        if (committed == null || covered.isEmpty()) {
            return committed;
        }
        return Math.min(committed, covered.getAsLong());
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
                : check.acceptOrReject(taskId, id, valueAndTimestamp, handoff.take(valueAndTimestamp, TIMESTAMP_BYTES));
        // RocksDB first: if it fails, the index still agrees with it.
        rocks.put(key, vector == null ? null : valueAndTimestamp);
        long offset = context.recordMetadata().map(RecordMetadata::offset).orElse(-1L);
        long timestamp = valueAndTimestamp == null ? -1 : timestampOf(valueAndTimestamp);
        requireOpenIndex().apply(vector == null ? IndexChange.removal(id, offset, timestamp)
                : IndexChange.upsert(vector, offset, timestamp));
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
        long offset = context.recordMetadata().map(RecordMetadata::offset).orElse(-1L);
        requireOpenIndex().apply(IndexChange.removal(idOf(key.get()), offset, -1));
        return previous;
    }

    /**
     * Logs how long the restore from the changelog took and how much of it the index took, and starts counting
     * afresh. Kafka Streams reports the end of a restore to a {@code StateRestoreListener}, not to the store, so the
     * application's listener calls this ({@link VectorRestoreLogger}).
     *
     * @return the restore figures logged
     */
    public RestoreProgress.Summary logRestoreEnd(long totalRestored) {
        RestoreProgress.Summary summary = restore.finish();
        lastRestore = summary;
        LOG.info("Restored {} records ({} vectors now) into {}-{} in {} s (RocksDB writes {} s, index {} s)",
                totalRestored, size(), name(), taskId == null ? "?" : taskId.partition(),
                String.format("%.3f", summary.wallSeconds()), String.format("%.3f", summary.rocksSeconds()),
                String.format("%.3f", summary.indexSeconds()));
        return summary;
    }

    static long timestampOf(byte[] valueAndTimestamp) {
        return valueAndTimestamp.length < TIMESTAMP_BYTES ? -1 : ByteBuffer.wrap(valueAndTimestamp, 0, TIMESTAMP_BYTES).getLong();
    }

    // ---------------------------------------------------------------- search

    /**
     * The k nearest vectors of this partition.
     *
     * @throws IllegalArgumentException if the query's dimension differs from the store's
     * @throws IllegalStateException    if the store is closed
     */
    public KnnResult search(KnnQuery query) {
        PartitionHits found = requireOpenIndex().search(query.vectorUnsafe(), query.k(), FieldFilter.of(query.filters()),
                query.minScore().orElse(Float.NEGATIVE_INFINITY), query.isExact() ? SearchOptions.exact() : SearchOptions.auto());
        List<ScoredHit> hits = new ArrayList<>(found.hits().size());
        for (ItemHit hit : found.hits()) {
            hits.add(new ScoredHit(hit.id(), hit.payload().modality(), hit.score(), hit.payload().metadata(),
                    hit.payload().text(), hit.payload().labels()));
        }
        return new KnnResult(hits, found.scanned());
    }

    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        return queries.query(query, positionBound, config, taskId);
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
        SegmentedIndex current = index;
        return current == null || current.isClosed() ? 0 : current.size();
    }

    /** The changelog offset the segments loaded from disk at open cover; empty when the index was rebuilt instead. */
    public OptionalLong loadedCoverage() {
        SegmentedIndex current = index;
        return current == null ? OptionalLong.empty() : current.coveredOffset();
    }

    /** The index's segments and background work, for metrics; null before {@link #init}. */
    public IndexStats indexStats() {
        SegmentedIndex current = index;
        return current == null ? null : current.stats();
    }

    /** The partition's index, for tests and benchmarks that wait on its background work. */
    public SegmentedIndex index() {
        return requireOpenIndex();
    }

    /**
     * The index memory one vector takes: its components (where kept), codes and graph edges
     * ({@link SegmentedIndex#bytesPerVector}); ids, fields and payloads come on top.
     */
    public long bytesPerVector() {
        return SegmentedIndex.bytesPerVector(settings.ann(), settings.dimension());
    }

    public int dimension() {
        return settings.dimension();
    }

    /**
     * How many records this store has rejected since it was created. A restore from the topic meets the rejected
     * records again and counts them again.
     */
    public long rejectedCount() {
        return check.rejectedCount();
    }

    private SegmentedIndex requireOpenIndex() {
        SegmentedIndex current = index;
        if (current == null || current.isClosed()) {
            throw new IllegalStateException("vector store '" + name() + "' is closed or not yet initialised");
        }
        return current;
    }

    /** Float32 read back from RocksDB, for the compressions that keep only codes in memory (int8, fp16). */
    private FullPrecisionSource fullPrecisionSource() {
        return id -> {
            byte[] valueAndTimestamp = rocks.get(Bytes.wrap(id.getBytes(StandardCharsets.UTF_8)));
            return valueAndTimestamp == null ? null : check.decodeStored(id, valueAndTimestamp).vector();
        };
    }

    static String idOf(byte[] key) {
        return new String(key, StandardCharsets.UTF_8);
    }
}
