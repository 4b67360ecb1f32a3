package io.clipstream.http;

import java.io.IOException;
import java.io.InputStream;

/**
 * One HTTP request and its response as the API's handlers see it, whichever server carries it
 * (Jetty in the service; the JDK's server only as the overload benchmark's baseline).
 */
public interface Exchange {

    String method();

    /** The request path as sent, percent-encoding intact: ids may hold an encoded '/'. */
    String rawPath();

    /** The request path decoded. */
    String path();

    /** The query string as sent, or null when there is none. */
    String rawQuery();

    /** The first value of a request header, or null. */
    String requestHeader(String name);

    /**
     * The request body. Reading it may fail with {@link RequestTimeoutException} when the client
     * sends it slower than the server allows.
     */
    InputStream requestBody() throws IOException;

    /** Sets a response header; call before {@link #respond}. */
    void setResponseHeader(String name, String value);

    /**
     * Sends the status, the headers set so far and the body, and ends the exchange. An empty body
     * sends none; a null content type sends no Content-Type.
     */
    void respond(int status, String contentType, byte[] body) throws IOException;

    /** Whether {@link #respond} was called. */
    boolean responded();

    /** The request body did not arrive within http.request.timeout.ms. */
    final class RequestTimeoutException extends IOException {
        public RequestTimeoutException(String message) {
            super(message);
        }
    }
}
