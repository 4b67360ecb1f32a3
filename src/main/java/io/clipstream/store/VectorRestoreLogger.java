package io.clipstream.store;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;

import java.util.List;
import java.util.Objects;

/**
 * Tells each {@link VectorStore} when Kafka Streams has finished restoring it, so that the store logs its restore
 * time (RocksDB writes and graph build separately). Register on the index application's {@code KafkaStreams} with
 * {@code setGlobalStateRestoreListener}; stores of other kinds are ignored.
 */
public final class VectorRestoreLogger implements StateRestoreListener {

    private final List<OpenVectorStores> stores;

    public VectorRestoreLogger(List<OpenVectorStores> stores) {
        this.stores = List.copyOf(Objects.requireNonNull(stores, "stores"));
    }

    @Override
    public void onRestoreStart(TopicPartition partition, String storeName, long startingOffset, long endingOffset) {
    }

    @Override
    public void onBatchRestored(TopicPartition partition, String storeName, long batchEndOffset, long numRestored) {
    }

    @Override
    public void onRestoreEnd(TopicPartition partition, String storeName, long totalRestored) {
        for (OpenVectorStores open : stores) {
            for (VectorStore store : open.all()) {
                if (store.name().equals(storeName) && store.taskId().partition() == partition.partition()) {
                    store.logRestoreEnd(totalRestored);
                }
            }
        }
    }
}
