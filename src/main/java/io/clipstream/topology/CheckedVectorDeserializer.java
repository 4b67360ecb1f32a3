package io.clipstream.topology;

import io.clipstream.store.VectorValue;
import io.clipstream.schema.VectorRecord;
import io.clipstream.store.VectorRejectedException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

import java.util.function.Function;

/**
 * Reads vector records for the index, decoding each once ({@link IndexVectorDecoder}), and refuses those of another
 * model, size or modality by throwing, so that the deserialisation handler sends them to the dead-letter topic. A
 * registry outage propagates as it came, so that the handler fails the task instead.
 */
final class CheckedVectorDeserializer implements Deserializer<VectorValue> {

    private final IndexVectorDecoder checks;
    private final Function<byte[], VectorRecord> records;

    /** @param records reads the whole record, when a caller asks a value for it */
    CheckedVectorDeserializer(IndexVectorDecoder checks, Function<byte[], VectorRecord> records) {
        this.checks = checks;
        this.records = records;
    }

    @Override
    public VectorValue deserialize(String topic, byte[] data) {
        if (data == null || data.length == 0) {
            return null;
        }
        try {
            return VectorValue.checked(data, checks.decode(data), records);
        } catch (VectorRejectedException e) {
            // Undecodable bytes: the decoder's own exception says best what is wrong with them.
            throw e.getCause() instanceof SerializationException undecodable ? undecodable
                    : new SerializationException(e.getMessage(), e);
        }
    }
}
