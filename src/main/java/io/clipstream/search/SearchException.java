package io.clipstream.search;

/** A search that cannot be answered; {@link #status()} is the HTTP status a REST caller gets. */
public final class SearchException extends RuntimeException {

    private final int status;

    public SearchException(int status, String message) {
        super(message);
        this.status = status;
    }

    public SearchException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public static SearchException badRequest(String message) {
        return new SearchException(400, message);
    }

    public int status() {
        return status;
    }
}
