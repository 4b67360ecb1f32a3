package io.clipstream.store;

import io.clipstream.index.IndexedVector;

import java.util.Arrays;

/**
 * Carries the {@link IndexedVector} the KTable's serializer just produced bytes for, to the store's put on the same
 * thread, so that a vector decoded once on its way in from the topic is not decoded again from the bytes the store
 * receives. Kafka Streams serialises a value and hands the bytes to the store in one call on the stream thread, so the
 * serializer {@link #offer}s the decoded vector right before the put, and the put {@link #take}s it.
 *
 * <p>Correctness does not rest on that order: {@link #take} returns the vector only when the bytes it is offered for
 * are exactly the bytes being stored, so anything serialised in between costs a decode, never a wrong vector. One slot
 * per thread, emptied by every take: it holds at most one vector per stream thread, and nothing on any other thread.
 * One instance per store supplier, shared by its serializer and its stores.
 */
public final class DecodedHandoff {

    /** A thread's slot, kept for the thread's life: setting and removing a thread-local per record cost more. */
    private static final class Slot {
        byte[] wire;
        IndexedVector decoded;
    }

    private final ThreadLocal<Slot> slot = ThreadLocal.withInitial(Slot::new);

    /**
     * Called by the serializer, on the thread about to put, with the bytes it returns and the vector they decode to;
     * replaces any earlier offer of this thread. The caller must not change {@code wire} afterwards.
     */
    public void offer(byte[] wire, IndexedVector decoded) {
        Slot mine = slot.get();
        mine.wire = wire;
        mine.decoded = decoded;
    }

    /**
     * The vector offered last on this thread if it was offered for exactly the bytes of {@code valueAndTimestamp} from
     * {@code wireOffset} on (the stored value is an 8-byte timestamp followed by the serialised record), else null.
     * Empties this thread's slot either way.
     */
    public IndexedVector take(byte[] valueAndTimestamp, int wireOffset) {
        Slot mine = slot.get();
        byte[] wire = mine.wire;
        IndexedVector decoded = mine.decoded;
        mine.wire = null;
        mine.decoded = null;
        if (wire == null || valueAndTimestamp == null || wireOffset < 0 || wireOffset > valueAndTimestamp.length) {
            return null;
        }
        return Arrays.equals(wire, 0, wire.length, valueAndTimestamp, wireOffset, valueAndTimestamp.length)
                ? decoded : null;
    }
}
