package io.clipstream.topology;

import io.clipstream.store.VectorValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a vector table's store equal to its topic: puts each record, deletes on a tombstone. It does what Kafka
 * Streams' table source does, less reading the old value first (a store read and a deserialisation per put) to pass it
 * downstream, where nothing would use it.
 */
final class VectorTableWriter implements Processor<String, VectorValue, Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(VectorTableWriter.class);

    private final String storeName;
    private ProcessorContext<Void, Void> context;
    private TimestampedKeyValueStore<String, VectorValue> store;

    VectorTableWriter(String storeName) {
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, VectorValue> record) {
        if (record.key() == null) {
            // As a table source does: without a key there is no item to put or delete.
            context.recordMetadata().ifPresent(source -> LOG.warn("Skipping vector record without a key at {}-{}@{}",
                    source.topic(), source.partition(), source.offset()));
            return;
        }
        store.put(record.key(), record.value() == null ? null : ValueAndTimestamp.make(record.value(), record.timestamp()));
    }
}
