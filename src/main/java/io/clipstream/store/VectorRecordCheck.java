package io.clipstream.store;

import io.clipstream.index.IndexedVector;
import io.clipstream.index.VectorMath;
import org.apache.kafka.streams.processor.TaskId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * Decides whether a stored value is a vector the store serves: decodable, keyed by its own id, of the store's
 * dimension, finite and L2-normalised. A refused record is counted, logged at WARN with its key and reason, and
 * treated as a delete by the store: the topic's latest value for that key is not a vector this index can serve.
 */
final class VectorRecordCheck {

    private static final Logger LOG = LoggerFactory.getLogger(VectorRecordCheck.class);

    private final String store;
    private final VectorDecoder decoder;
    private final int dimension;
    private final LongAdder rejected = new LongAdder();
    private final LongAdder rejectedAcrossStores;

    VectorRecordCheck(String store, VectorDecoder decoder, int dimension, LongAdder rejectedAcrossStores) {
        this.store = store;
        this.decoder = decoder;
        this.dimension = dimension;
        this.rejectedAcrossStores = rejectedAcrossStores;
    }

    /**
     * Decodes (unless {@code decoded} is given) and checks one stored value, timestamp prefix included.
     *
     * @return the vector, or null after counting and logging the refusal
     */
    IndexedVector acceptOrReject(TaskId task, String id, byte[] valueAndTimestamp, IndexedVector decoded) {
        try {
            IndexedVector vector = decoded != null ? decoded : decode(valueAndTimestamp);
            check(id, vector);
            return vector;
        } catch (VectorRejectedException e) {
            rejected.increment();
            rejectedAcrossStores.increment();
            LOG.warn("Vector store '{}' task {} rejected key '{}' ({}): {}", store, task, id, e.reason(), e.getMessage());
            return null;
        }
    }

    /** Decodes a value already checked when it was written (it sits in RocksDB). */
    IndexedVector decodeStored(String id, byte[] valueAndTimestamp) {
        try {
            return decode(valueAndTimestamp);
        } catch (VectorRejectedException e) {
            throw new IllegalStateException("vector store '" + store + "' holds an undecodable value for id '" + id
                    + "' although it was checked when written: " + e.getMessage(), e);
        }
    }

    private IndexedVector decode(byte[] valueAndTimestamp) throws VectorRejectedException {
        if (valueAndTimestamp.length < VectorStore.TIMESTAMP_BYTES) {
            throw new VectorRejectedException(VectorRejectedException.Reason.UNDECODABLE,
                    "stored value of " + valueAndTimestamp.length + " bytes is shorter than its timestamp prefix");
        }
        return decoder.decode(Arrays.copyOfRange(valueAndTimestamp, VectorStore.TIMESTAMP_BYTES, valueAndTimestamp.length));
    }

    private void check(String id, IndexedVector vector) throws VectorRejectedException {
        if (!id.equals(vector.id())) {
            throw new VectorRejectedException(VectorRejectedException.Reason.KEY_MISMATCH, "record id '" + vector.id()
                    + "' differs from its key '" + id + "': producers must key vector records by item id");
        }
        float[] components = vector.vector();
        if (components.length != dimension) {
            throw new VectorRejectedException(VectorRejectedException.Reason.WRONG_DIMENSION, "vector has "
                    + components.length + " components, this store holds dimension " + dimension
                    + ": re-embed the item with the index's model");
        }
        int nonFinite = VectorMath.firstNonFinite(components);
        if (nonFinite >= 0) {
            throw new VectorRejectedException(VectorRejectedException.Reason.NOT_FINITE, "component " + nonFinite
                    + " is " + components[nonFinite] + ": the embedder produced an invalid vector");
        }
        if (!VectorMath.isNormalised(components)) {
            throw new VectorRejectedException(VectorRejectedException.Reason.NOT_NORMALISED, "squared L2 norm is "
                    + VectorMath.squaredNorm(components) + ", not 1: vectors must be L2-normalised before publishing");
        }
    }

    /** Records refused by this store since it was created (a restore meets refused records again). */
    long rejectedCount() {
        return rejected.sum();
    }
}
