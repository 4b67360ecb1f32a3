package io.clipstream.store;

import io.clipstream.index.IndexedVector;

import java.util.Arrays;

/**
 * Carries the {@link IndexedVector} that a KTable's value serializer has just turned back into bytes to the store's
 * {@code put} on the same thread, so that a vector is decoded once on its way from the topic to the index. The store
 * uses it only if the bytes it receives are exactly the ones offered (the timestamp prefix aside); otherwise it
 * decodes, so nothing that serialises in between can make it index the wrong vector. One slot per thread.
 */
public final class DecodedHandoff {

    private record Offer(byte[] wire, IndexedVector decoded) {
    }

    private final ThreadLocal<Offer> slot = new ThreadLocal<>();

    /** Called by the serializer, right before the store's put on the same thread. */
    public void offer(byte[] wire, IndexedVector decoded) {
        slot.set(new Offer(wire, decoded));
    }

    /**
     * The decoded vector if the last offer on this thread was for exactly these bytes, else null. Clears the slot.
     *
     * @param wireOffset where the serialised record starts in {@code value} (after the timestamp)
     */
    public IndexedVector take(byte[] value, int wireOffset) {
        Offer offer = slot.get();
        if (offer == null) {
            return null;
        }
        slot.remove();
        byte[] wire = offer.wire();
        boolean same = value.length - wireOffset == wire.length
                && Arrays.equals(value, wireOffset, value.length, wire, 0, wire.length);
        return same ? offer.decoded() : null;
    }
}
