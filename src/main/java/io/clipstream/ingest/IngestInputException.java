package io.clipstream.ingest;

/** The folder or the captions file cannot be ingested as given; the message names each problem and the fix. */
public final class IngestInputException extends IllegalArgumentException {

    public IngestInputException(String message) {
        super(message);
    }
}
