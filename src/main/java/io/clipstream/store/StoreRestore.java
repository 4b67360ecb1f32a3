package io.clipstream.store;

import io.clipstream.index.IndexChange;
import io.clipstream.index.IndexedVector;
import io.clipstream.index.SegmentedIndex;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.internals.RecordBatchingStateRestoreCallback;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * How one {@link VectorStore} comes back: changelog batches replayed into RocksDB and the index alike (refused
 * records as tombstones), and, when no persisted segments could be used, the index rebuilt from what RocksDB already
 * holds. Neither links a graph: the index appends, its background builds the graphs.
 */
final class StoreRestore {

    private static final Logger LOG = LoggerFactory.getLogger(StoreRestore.class);
    /** Vectors read from RocksDB per batch while rebuilding the index: bounds the batch held beside the index. */
    private static final int REBUILD_BATCH = 8_192;

    private final String store;
    private final TaskId task;
    private final KeyValueStore<Bytes, byte[]> rocks;
    private final RecordBatchingStateRestoreCallback rocksRestore;
    private final VectorRecordCheck check;
    private final RestoreProgress progress = new RestoreProgress();

    StoreRestore(String store, TaskId task, KeyValueStore<Bytes, byte[]> rocks, RecordBatchingStateRestoreCallback rocksRestore,
                 VectorRecordCheck check) {
        this.store = store;
        this.task = task;
        this.rocks = rocks;
        this.rocksRestore = rocksRestore;
        this.check = check;
    }

    /** One restored batch: RocksDB's own callback writes it and tracks the position, then the index takes it in order. */
    void restoreBatch(Collection<ConsumerRecord<byte[], byte[]>> records, SegmentedIndex index) {
        List<ConsumerRecord<byte[], byte[]>> toWrite = new ArrayList<>(records.size());
        List<IndexChange> changes = new ArrayList<>(records.size());
        for (ConsumerRecord<byte[], byte[]> record : records) {
            String id = VectorStore.idOf(record.key());
            IndexedVector vector = record.value() == null ? null : check.acceptOrReject(task, id, record.value(), null);
            toWrite.add(vector == null && record.value() != null ? asTombstone(record) : record);
            changes.add(vector == null ? IndexChange.removal(id, record.offset(), record.timestamp())
                    : IndexChange.upsert(vector, record.offset(), record.timestamp()));
        }
        long rocksStart = System.nanoTime();
        rocksRestore.restoreBatch(toWrite);
        long indexStart = System.nanoTime();
        index.apply(changes);
        progress.batch(records.size(), indexStart - rocksStart, System.nanoTime() - indexStart);
    }

    /** The figures of the restore so far, counting afresh from here. */
    RestoreProgress.Summary finish() {
        return progress.finish();
    }

    /**
     * Reads every vector RocksDB already holds (local state from an earlier run) into the fresh index. Records that
     * the decoder now refuses (it or the settings changed) are deleted, so RocksDB keeps holding exactly the index's
     * items. Their changelog offsets are not known one by one; RocksDB's position says how far they reach.
     */
    void rebuild(SegmentedIndex fresh) {
        long start = System.nanoTime();
        List<Bytes> refused = new ArrayList<>();
        List<IndexChange> batch = new ArrayList<>(REBUILD_BATCH);
        long rebuilt = 0;
        try (KeyValueIterator<Bytes, byte[]> all = rocks.all()) {
            while (all.hasNext()) {
                KeyValue<Bytes, byte[]> entry = all.next();
                String id = VectorStore.idOf(entry.key.get());
                IndexedVector vector = check.acceptOrReject(task, id, entry.value, null);
                if (vector == null) {
                    refused.add(entry.key);
                    continue;
                }
                batch.add(IndexChange.upsert(vector, -1, VectorStore.timestampOf(entry.value)));
                rebuilt++;
                if (batch.size() == REBUILD_BATCH) {
                    fresh.apply(batch);
                    batch.clear();
                }
            }
        }
        fresh.apply(batch);
        for (Bytes key : refused) {
            rocks.put(key, null);
        }
        fresh.rebuilt(lastOffsetOf(rocks.getPosition()));
        if (rebuilt > 0 || !refused.isEmpty()) {
            LOG.info("Vector store '{}' task {} rebuilt its index from local state: {} vectors ({} refused and deleted) in {} s",
                    store, task, rebuilt, refused.size(), String.format("%.3f", (System.nanoTime() - start) / 1e9));
        }
    }

    /** The highest offset this partition's RocksDB has applied, from its position (-1 if none). */
    private long lastOffsetOf(Position position) {
        long last = -1;
        for (String topic : position.getTopics()) {
            Long offset = position.getPartitionPositions(topic).get(task.partition());
            if (offset != null) {
                last = Math.max(last, offset);
            }
        }
        return last;
    }

    private static ConsumerRecord<byte[], byte[]> asTombstone(ConsumerRecord<byte[], byte[]> record) {
        return new ConsumerRecord<>(record.topic(), record.partition(), record.offset(), record.timestamp(),
                record.timestampType(), record.serializedKeySize(), 0, record.key(), null, record.headers(),
                record.leaderEpoch(), record.deliveryCount());
    }
}
