package io.clipstream.topology;

import io.clipstream.store.VectorValue;
import io.clipstream.schema.VectorRecord;
import org.apache.kafka.common.serialization.Deserializer;

import java.util.function.Function;

/**
 * Reads a vector table's value back from its store without decoding it: Kafka Streams reads the old value on every
 * update only to pass it on, unused here, and item lookups decode the whole record when they ask for it.
 */
final class StoredVectorDeserializer implements Deserializer<VectorValue> {

    private final Function<byte[], VectorRecord> records;

    StoredVectorDeserializer(Function<byte[], VectorRecord> records) {
        this.records = records;
    }

    @Override
    public VectorValue deserialize(String topic, byte[] data) {
        return data == null ? null : VectorValue.stored(data, records);
    }
}
