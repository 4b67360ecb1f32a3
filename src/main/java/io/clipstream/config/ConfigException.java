package io.clipstream.config;

/** A setting that is missing or malformed; the message names the key and what it expects. */
public final class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
