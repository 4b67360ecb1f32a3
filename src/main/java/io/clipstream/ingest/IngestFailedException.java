package io.clipstream.ingest;

/** The ingest cannot go on (Kafka or the schema registry unreachable, a topic missing); the message names the setting to fix. */
public final class IngestFailedException extends RuntimeException {

    public IngestFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
