package io.clipstream.index;

/**
 * Persisted segments that cannot be trusted: a missing or truncated file, a checksum that does not match, settings or
 * a model that differ from today's, a manifest too old to replay from. The partition then rebuilds from its store.
 */
public final class CorruptStateException extends Exception {

    public CorruptStateException(String message) {
        super(message);
    }

    public CorruptStateException(String message, Throwable cause) {
        super(message, cause);
    }
}
