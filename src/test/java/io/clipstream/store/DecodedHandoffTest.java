package io.clipstream.store;

import io.clipstream.index.IndexedVector;
import io.clipstream.schema.Modality;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The handoff gives a put the vector offered for exactly its bytes, on its thread, once. */
class DecodedHandoffTest {

    private static final byte[] WIRE = {0, 0, 0, 0, 1, 9, 8, 7};
    private static final IndexedVector DECODED = new IndexedVector("a", Modality.IMAGE, new float[]{1}, Map.of(), Map.of(), null);

    private static byte[] stored(byte[] wire) {
        byte[] value = new byte[VectorStore.TIMESTAMP_BYTES + wire.length];
        value[0] = 42; // a timestamp, never compared
        System.arraycopy(wire, 0, value, VectorStore.TIMESTAMP_BYTES, wire.length);
        return value;
    }

    @Test
    void givesTheOfferedVectorForTheSameBytesOnce() {
        DecodedHandoff handoff = new DecodedHandoff();
        handoff.offer(WIRE, DECODED);
        assertSame(DECODED, handoff.take(stored(WIRE.clone()), VectorStore.TIMESTAMP_BYTES));
        assertNull(handoff.take(stored(WIRE), VectorStore.TIMESTAMP_BYTES), "a take empties the slot");
    }

    @Test
    void givesNothingForOtherBytesAndEmptiesTheSlotAnyway() {
        DecodedHandoff handoff = new DecodedHandoff();
        byte[] other = WIRE.clone();
        other[other.length - 1]++;
        handoff.offer(WIRE, DECODED);
        assertNull(handoff.take(stored(other), VectorStore.TIMESTAMP_BYTES));
        handoff.offer(WIRE, DECODED);
        assertNull(handoff.take(stored(new byte[]{0, 0, 0, 0, 1, 9, 8}), VectorStore.TIMESTAMP_BYTES), "a prefix");
        handoff.offer(WIRE, DECODED);
        assertNull(handoff.take(stored(WIRE), VectorStore.TIMESTAMP_BYTES + 1), "another offset");
        assertNull(handoff.take(stored(WIRE), VectorStore.TIMESTAMP_BYTES), "the failed takes emptied the slot");
        handoff.offer(WIRE, DECODED);
        assertNull(handoff.take(new byte[2], VectorStore.TIMESTAMP_BYTES), "a value shorter than its offset");
        assertNull(handoff.take(null, 0));
    }

    @Test
    void anOfferIsSeenOnlyOnItsOwnThread() {
        DecodedHandoff handoff = new DecodedHandoff();
        handoff.offer(WIRE, DECODED);
        assertNull(CompletableFuture.supplyAsync(() -> handoff.take(stored(WIRE), VectorStore.TIMESTAMP_BYTES)).join());
        assertSame(DECODED, handoff.take(stored(WIRE), VectorStore.TIMESTAMP_BYTES));
    }
}
