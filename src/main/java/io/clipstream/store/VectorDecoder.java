package io.clipstream.store;

import io.clipstream.index.IndexedVector;

/**
 * Turns the serialised value of a vector record, exactly as it sits on the vector topic (for production the Confluent
 * wire format), into what the index needs. The production implementation wraps the registry-aware Avro deserializer
 * and refuses vectors of another model or dimension.
 *
 * <p>Called on the stream thread for every put, on the restore thread for every restored record and once per stored
 * record when a store opens, so it must be thread-safe and must not block for long.
 *
 * <p>Throw {@link VectorRejectedException} only for records that will never be servable (malformed bytes, another
 * model, another dimension): the store drops those from RocksDB and the index. A transient failure, such as a schema
 * registry that cannot be reached, must propagate as an unchecked exception instead, so that the task fails and
 * retries rather than silently losing a good vector.
 */
@FunctionalInterface
public interface VectorDecoder {

    /**
     * @param value the record value, never null (tombstones never reach the decoder)
     * @throws VectorRejectedException when the value is not a vector this index can serve
     */
    IndexedVector decode(byte[] value) throws VectorRejectedException;
}
