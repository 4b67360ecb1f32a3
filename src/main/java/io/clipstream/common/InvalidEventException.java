package io.clipstream.common;

/** An event that is well-formed Avro but cannot be indexed; the message is the dead-letter reason. */
public final class InvalidEventException extends RuntimeException {

    private final String code;

    public InvalidEventException(String code, String message) {
        super(message);
        this.code = code;
    }

    public InvalidEventException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** A stable reason code for the dead-letter header, e.g. NO_IMAGE, FETCH_FAILED. */
    public String code() {
        return code;
    }
}
