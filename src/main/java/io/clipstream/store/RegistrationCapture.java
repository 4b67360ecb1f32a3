package io.clipstream.store;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.CommitCallback;
import org.apache.kafka.streams.processor.StateRestoreCallback;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.io.File;
import java.util.Map;
import java.util.Optional;

/**
 * The context {@link VectorStore} hands to its inner RocksDB store: everything passes through except
 * {@code register}, which is held back. A store may register only once, and the inner store's restore callback would
 * write restored records to RocksDB without the index seeing them; so the vector store registers instead, with a
 * callback that runs the captured one and then updates the index.
 */
final class RegistrationCapture implements StateStoreContext {

    private final StateStoreContext delegate;
    private StateRestoreCallback restoreCallback;
    private CommitCallback commitCallback;

    RegistrationCapture(StateStoreContext delegate) {
        this.delegate = delegate;
    }

    /** The restore callback the inner store registered; fails if it registered none. */
    StateRestoreCallback restoreCallback(String storeName) {
        if (restoreCallback == null) {
            throw new IllegalStateException("the RocksDB store inside vector store '" + storeName
                    + "' did not register a restore callback during init; this Kafka Streams version changed how "
                    + "stores register, so VectorStore needs updating");
        }
        return restoreCallback;
    }

    /** The commit callback the inner store registered, or a no-op if it gave none. */
    CommitCallback commitCallback() {
        return commitCallback == null ? () -> { } : commitCallback;
    }

    @Override
    public void register(StateStore store, StateRestoreCallback stateRestoreCallback) {
        register(store, stateRestoreCallback, null);
    }

    @Override
    public void register(StateStore store, StateRestoreCallback stateRestoreCallback, CommitCallback commitCallback) {
        if (this.restoreCallback != null) {
            throw new IllegalStateException("store '" + store.name() + "' registered twice during init");
        }
        this.restoreCallback = stateRestoreCallback;
        this.commitCallback = commitCallback;
    }

    @Override
    public String applicationId() {
        return delegate.applicationId();
    }

    @Override
    public TaskId taskId() {
        return delegate.taskId();
    }

    @Override
    public Optional<RecordMetadata> recordMetadata() {
        return delegate.recordMetadata();
    }

    @Override
    public Serde<?> keySerde() {
        return delegate.keySerde();
    }

    @Override
    public Serde<?> valueSerde() {
        return delegate.valueSerde();
    }

    @Override
    public File stateDir() {
        return delegate.stateDir();
    }

    @Override
    public StreamsMetrics metrics() {
        return delegate.metrics();
    }

    @Override
    public Map<String, Object> appConfigs() {
        return delegate.appConfigs();
    }

    @Override
    public Map<String, Object> appConfigsWithPrefix(String prefix) {
        return delegate.appConfigsWithPrefix(prefix);
    }
}
