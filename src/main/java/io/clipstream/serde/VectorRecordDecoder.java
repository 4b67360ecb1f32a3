package io.clipstream.serde;

import io.clipstream.schema.VectorRecord;
import org.apache.kafka.common.serialization.Deserializer;

import java.util.Objects;

/**
 * Reads the values of a vector topic for the index: {@link #decode} into what the index keeps, on every put and
 * restored record, so by the fastest path there is; {@link #record} into the whole {@link VectorRecord}, for the rarer
 * callers that need every field (item lookups, backfills). Thread-safe.
 *
 * <p>Both return null for null or empty bytes (tombstones) and throw {@code SerializationException} for bytes that are
 * not a vector record; a failure of the schema registry is a {@code SerializationException} too, with the registry's
 * exception as its cause, so that {@link RegistryFailures} can tell an outage from a bad record.
 */
public interface VectorRecordDecoder {

    DecodedVector decode(String topic, byte[] value);

    VectorRecord record(String topic, byte[] value);

    /** Decodes through {@code records} and converts: for formats without a faster reader. */
    static VectorRecordDecoder through(Deserializer<VectorRecord> records) {
        Objects.requireNonNull(records, "records");
        return new VectorRecordDecoder() {
            @Override
            public DecodedVector decode(String topic, byte[] value) {
                VectorRecord record = records.deserialize(topic, value);
                return record == null ? null : DecodedVector.of(record);
            }

            @Override
            public VectorRecord record(String topic, byte[] value) {
                return records.deserialize(topic, value);
            }
        };
    }
}
