package io.clipstream.topology;

import io.clipstream.store.VectorValue;
import io.clipstream.store.DecodedHandoff;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes a vector table's value as the bytes it came with, encoding nothing, and leaves the vector decoded from them in
 * the store's {@link DecodedHandoff} for the put that follows on this thread.
 */
final class WireVectorSerializer implements Serializer<VectorValue> {

    private final DecodedHandoff handoff;

    WireVectorSerializer(DecodedHandoff handoff) {
        this.handoff = handoff;
    }

    @Override
    public byte[] serialize(String topic, VectorValue value) {
        if (value == null) {
            return null;
        }
        if (value.checked() != null) {
            handoff.offer(value.wire(), value.checked());
        }
        return value.wire();
    }
}
