package io.clipstream.topology;

import io.clipstream.schema.Modality;
import io.clipstream.schema.VectorRecord;
import io.clipstream.serde.RegistryFailures;
import io.clipstream.index.IndexedVector;
import io.clipstream.store.VectorDecoder;
import io.clipstream.store.VectorRejectedException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Decodes stored vector bytes for the store's in-memory index, with the same refusals as
 * {@link CheckedVectorDeserializer}: restore reads the topic's raw bytes without the
 * deserialiser, so the check must also stand here.
 */
public final class IndexVectorDecoder implements VectorDecoder {

    private final Deserializer<VectorRecord> records;
    private final ServedModel served;
    private final Modality modality;
    private final String topic;

    public IndexVectorDecoder(Deserializer<VectorRecord> records, ServedModel served, Modality modality, String topic) {
        this.records = records;
        this.served = served;
        this.modality = modality;
        this.topic = topic;
    }

    @Override
    public IndexedVector decode(byte[] value) throws VectorRejectedException {
        VectorRecord record;
        try {
            record = records.deserialize(topic, value);
        } catch (RuntimeException e) {
            // A registry outage is not the record's fault: failing here retries the restore or the
            // put, where a rejection would silently drop a good vector.
            RegistryFailures.rethrowIfTransient(e);
            throw new VectorRejectedException(VectorRejectedException.Reason.UNDECODABLE, "not a vector record: " + e.getMessage(), e);
        }
        String problem = served.problem(record.getId(), record, modality);
        if (problem != null) {
            VectorRejectedException.Reason reason = !served.modelId().equals(record.getModelId())
                    ? VectorRejectedException.Reason.WRONG_MODEL : VectorRejectedException.Reason.WRONG_DIMENSION;
            throw new VectorRejectedException(reason, problem);
        }
        return IndexedVector.from(record);
    }
}
