package io.clipstream.http;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.URIUtil;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** An {@link Exchange} over Jetty's core request and response; the body is read against a deadline. */
final class JettyExchange implements Exchange {

    private final Request request;
    private final Response response;
    private final Callback callback;
    private final long bodyDeadline;
    private final long requestTimeoutMs;
    private boolean responded;

    JettyExchange(Request request, Response response, Callback callback, long requestTimeoutMs) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.requestTimeoutMs = requestTimeoutMs;
        this.bodyDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(requestTimeoutMs);
    }

    @Override
    public String method() {
        return request.getMethod();
    }

    @Override
    public String rawPath() {
        return request.getHttpURI().getPath();
    }

    /** Decoded but not normalised, as the JDK server gave it: routing and messages see the path the client sent. */
    @Override
    public String path() {
        return URIUtil.decodePath(rawPath());
    }

    @Override
    public String rawQuery() {
        return request.getHttpURI().getQuery();
    }

    @Override
    public String requestHeader(String name) {
        return request.getHeaders().get(name);
    }

    @Override
    public InputStream requestBody() {
        return new Body();
    }

    @Override
    public void setResponseHeader(String name, String value) {
        response.getHeaders().put(name, value);
    }

    @Override
    public void respond(int status, String contentType, byte[] body) {
        if (responded) {
            throw new IllegalStateException("already answered with " + response.getStatus());
        }
        responded = true;
        response.setStatus(status);
        if (contentType != null) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        // Completing Jetty's callback ends the exchange (and frees its search turn) once the last byte is written.
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    @Override
    public boolean responded() {
        return responded;
    }

    /** The request content as a stream; a read waits for more only until the request's deadline. */
    private final class Body extends InputStream {
        private Content.Chunk chunk;
        private boolean ended;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            while (!ended) {
                if (chunk == null) {
                    chunk = request.read();
                    if (chunk == null) {
                        awaitContent();
                        continue;
                    }
                }
                if (Content.Chunk.isFailure(chunk)) {
                    Throwable failure = chunk.getFailure();
                    throw failure instanceof IOException io ? io : new IOException(failure);
                }
                ByteBuffer buffer = chunk.getByteBuffer();
                if (buffer.hasRemaining()) {
                    int n = Math.min(length, buffer.remaining());
                    buffer.get(into, offset, n);
                    return n;
                }
                ended = chunk.isLast();
                chunk.release();
                chunk = null;
            }
            return -1;
        }

        private void awaitContent() throws IOException {
            long left = bodyDeadline - System.nanoTime();
            CountDownLatch more = new CountDownLatch(1);
            request.demand(more::countDown);
            try {
                if (left <= 0 || !more.await(left, TimeUnit.NANOSECONDS)) {
                    throw new RequestTimeoutException("the request body did not arrive within " + requestTimeoutMs
                            + " ms (http.request.timeout.ms); send it in one go");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while reading the request body");
            }
        }

        @Override
        public void close() {
            if (chunk != null) {
                chunk.release();
                chunk = null;
            }
        }
    }
}
