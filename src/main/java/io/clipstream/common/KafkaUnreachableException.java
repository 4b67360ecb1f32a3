package io.clipstream.common;

/** Kafka did not answer at the configured bootstrap servers; the message names them and the settings to check. */
public final class KafkaUnreachableException extends RuntimeException {

    public KafkaUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
