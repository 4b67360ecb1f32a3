package io.clipstream.store;

/**
 * A vector record the index refuses to serve. The store keeps the record out of the search structure and out of
 * RocksDB, counts it and logs it; the record itself stays on its topic. The message names the record, the problem and
 * the fix.
 */
public final class VectorRejectedException extends Exception {

    /** Why a vector was refused; stable names, usable as a metric tag. */
    public enum Reason {
        /** The bytes are not a vector record (bad wire format, unknown schema, corrupt Avro). */
        UNDECODABLE,
        /** The vector came from another model than the one this index serves. */
        WRONG_MODEL,
        /** The vector's length differs from the store's dimension. */
        WRONG_DIMENSION,
        /** A component is NaN or infinite. */
        NOT_FINITE,
        /** The vector is not L2-normalised, so its dot product would not be a cosine score. */
        NOT_NORMALISED,
        /** The record's id differs from its Kafka key, so a tombstone for the id could never remove it. */
        KEY_MISMATCH
    }

    private final Reason reason;

    public VectorRejectedException(Reason reason, String message) {
        this(reason, message, null);
    }

    public VectorRejectedException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
