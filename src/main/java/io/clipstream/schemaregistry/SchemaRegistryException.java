package io.clipstream.schemaregistry;

/**
 * A failed conversation with a schema registry. {@link #errorCode()} is the registry's
 * {@code error_code} (Confluent's codes, such as 40403 for an unknown schema id), the HTTP status
 * when the registry sent no code, or a negative code for failures that got no answer at all.
 * {@link #registryUrl()} and the message never carry credentials.
 */
public final class SchemaRegistryException extends RuntimeException {

    /** No registry URL could be connected to. */
    public static final int UNREACHABLE = -1;
    /** A registry did not answer within the request timeout. */
    public static final int TIMEOUT = -2;
    /** The registry answered with something that is not the Confluent REST protocol. */
    public static final int INVALID_RESPONSE = -3;
    /** The calling thread was interrupted while waiting for the registry. */
    public static final int INTERRUPTED = -4;

    public static final int UNAUTHORIZED = 401;
    public static final int FORBIDDEN = 403;
    public static final int NOT_FOUND = 404;
    public static final int INCOMPATIBLE_SCHEMA = 409;
    public static final int SUBJECT_NOT_FOUND = 40401;
    public static final int VERSION_NOT_FOUND = 40402;
    public static final int SCHEMA_NOT_FOUND = 40403;
    public static final int SUBJECT_COMPATIBILITY_NOT_CONFIGURED = 40408;
    public static final int INVALID_SCHEMA = 42201;
    public static final int INVALID_VERSION = 42202;
    public static final int INVALID_COMPATIBILITY_LEVEL = 42203;

    /** What went wrong, for callers that branch on it. */
    public enum Kind {
        UNREACHABLE,
        TIMEOUT,
        UNAUTHORIZED,
        SUBJECT_NOT_FOUND,
        VERSION_NOT_FOUND,
        SCHEMA_NOT_FOUND,
        INCOMPATIBLE_SCHEMA,
        INVALID_SCHEMA,
        INVALID_RESPONSE,
        INTERRUPTED,
        OTHER
    }

    private final int errorCode;
    private final int httpStatus;
    private final String registryUrl;

    public SchemaRegistryException(String message, int errorCode, int httpStatus, String registryUrl, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
        this.httpStatus = httpStatus;
        this.registryUrl = Redaction.url(registryUrl);
    }

    public SchemaRegistryException(String message, int errorCode, int httpStatus, String registryUrl) {
        this(message, errorCode, httpStatus, registryUrl, null);
    }

    public int errorCode() {
        return errorCode;
    }

    /** The HTTP status the registry answered with, or -1 when there was no answer. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The registry URL(s) involved, without credentials. */
    public String registryUrl() {
        return registryUrl;
    }

    public Kind kind() {
        return switch (errorCode) {
            case UNREACHABLE -> Kind.UNREACHABLE;
            case TIMEOUT -> Kind.TIMEOUT;
            case INVALID_RESPONSE -> Kind.INVALID_RESPONSE;
            case INTERRUPTED -> Kind.INTERRUPTED;
            case UNAUTHORIZED, FORBIDDEN -> Kind.UNAUTHORIZED;
            case SUBJECT_NOT_FOUND -> Kind.SUBJECT_NOT_FOUND;
            case VERSION_NOT_FOUND -> Kind.VERSION_NOT_FOUND;
            case SCHEMA_NOT_FOUND -> Kind.SCHEMA_NOT_FOUND;
            case INCOMPATIBLE_SCHEMA -> Kind.INCOMPATIBLE_SCHEMA;
            case INVALID_SCHEMA -> Kind.INVALID_SCHEMA;
            default -> httpStatus == 401 || httpStatus == 403 ? Kind.UNAUTHORIZED : Kind.OTHER;
        };
    }
}
