package io.clipstream.common;

/**
 * A typed refusal to embed one input. The message always names the input, the problem and the fix,
 * so that it can go verbatim into a dead-letter header or an HTTP 4xx body.
 */
public final class EncodingException extends RuntimeException {

    /** What was wrong; stable names, used as the dead-letter reason code. */
    public enum Reason {
        EMPTY_INPUT,
        UNSUPPORTED_FORMAT,
        CORRUPT_IMAGE,
        IMAGE_TOO_LARGE,
        EMPTY_TEXT,
        MODEL_ERROR
    }

    private final Reason reason;
    private final String input;

    public EncodingException(Reason reason, String input, String problem, String fix) {
        this(reason, input, problem, fix, null);
    }

    public EncodingException(Reason reason, String input, String problem, String fix, Throwable cause) {
        super(input + ": " + problem + (fix == null || fix.isEmpty() ? "" : ". " + fix), cause);
        this.reason = reason;
        this.input = input;
    }

    public Reason reason() {
        return reason;
    }

    /** The name of the offending input (a file name, record id or "text[3]"). */
    public String input() {
        return input;
    }
}
