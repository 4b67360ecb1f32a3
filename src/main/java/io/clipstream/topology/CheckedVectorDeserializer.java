package io.clipstream.topology;

import io.clipstream.schema.Modality;
import io.clipstream.schema.VectorRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads vector records for the index and refuses those of another model, size or modality by
 * throwing, so that the deserialisation handler sends them to the dead-letter topic.
 */
public final class CheckedVectorDeserializer implements Deserializer<VectorRecord> {

    private final Deserializer<VectorRecord> inner;
    private final ServedModel served;
    private final Modality modality;

    public CheckedVectorDeserializer(Deserializer<VectorRecord> inner, ServedModel served, Modality modality) {
        this.inner = inner;
        this.served = served;
        this.modality = modality;
    }

    @Override
    public VectorRecord deserialize(String topic, byte[] data) {
        return check(inner.deserialize(topic, data));
    }

    @Override
    public VectorRecord deserialize(String topic, Headers headers, byte[] data) {
        return check(inner.deserialize(topic, headers, data));
    }

    private VectorRecord check(VectorRecord record) {
        if (record == null) {
            return null;
        }
        String problem = served.problem(record.getId(), record, modality);
        if (problem != null) {
            throw new SerializationException(problem);
        }
        return record;
    }
}
