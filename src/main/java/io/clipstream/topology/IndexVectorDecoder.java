package io.clipstream.topology;

import io.clipstream.index.IndexedVector;
import io.clipstream.schema.Modality;
import io.clipstream.serde.DecodedVector;
import io.clipstream.serde.RegistryFailures;
import io.clipstream.serde.VectorRecordDecoder;
import io.clipstream.store.VectorDecoder;
import io.clipstream.store.VectorRejectedException;

/**
 * Decodes vector bytes for the index and refuses those of another model, size or modality. The
 * table's source deserializer ({@link CheckedVectorDeserializer}) decodes through it, and so do
 * the store's restores, which read the topic's raw bytes without that deserialiser: both refuse
 * exactly the same records.
 */
public final class IndexVectorDecoder implements VectorDecoder {

    private final VectorRecordDecoder records;
    private final ServedModel served;
    private final Modality modality;
    private final String topic;

    public IndexVectorDecoder(VectorRecordDecoder records, ServedModel served, Modality modality, String topic) {
        this.records = records;
        this.served = served;
        this.modality = modality;
        this.topic = topic;
    }

    @Override
    public IndexedVector decode(byte[] value) throws VectorRejectedException {
        DecodedVector record;
        try {
            record = records.decode(topic, value);
        } catch (RuntimeException e) {
            // A registry outage is not the record's fault: failing here retries the restore or the
            // put, where a rejection would silently drop a good vector.
            RegistryFailures.rethrowIfTransient(e);
            throw new VectorRejectedException(VectorRejectedException.Reason.UNDECODABLE, "not a vector record: " + e.getMessage(), e);
        }
        if (record == null) {
            throw new VectorRejectedException(VectorRejectedException.Reason.UNDECODABLE, "not a vector record: the value is empty");
        }
        String problem = served.problem(record.indexed().id(), record, modality);
        if (problem != null) {
            VectorRejectedException.Reason reason = !served.modelId().equals(record.modelId())
                    ? VectorRejectedException.Reason.WRONG_MODEL : VectorRejectedException.Reason.WRONG_DIMENSION;
            throw new VectorRejectedException(reason, problem);
        }
        return record.indexed();
    }
}
