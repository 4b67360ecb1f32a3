package io.clipstream.fetch;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 connection, opened to exactly the address a {@link FetchTarget} was checked against,
 * that serves one GET after another while the server keeps it alive. The host name from the URL is
 * used only for the Host header, TLS SNI and certificate verification. Every blocking read waits at
 * most until the request's deadline, so a server that drips bytes or stops answering cannot hold a
 * fetch past its timeout.
 */
final class HttpConnection implements Closeable {

    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final int MAX_LINE_BYTES = 8 * 1024;
    /** The body of a non-200 answer up to this size is read and dropped, so the connection can serve the next request. */
    private static final int DRAIN_LIMIT = 64 * 1024;

    /** The server closed or reset a kept-alive connection before answering: the request can go again on a fresh one. */
    static final class StaleConnectionException extends IOException {
        StaleConnectionException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A response, and whether the connection may serve another request. */
    record Exchange(PinnedHttpGet.Response response, boolean reusable) {
    }

    private final ConnectionKey key;
    private final Socket socket;
    private final DeadlineInput deadlineInput;
    private final InputStream in;
    private final OutputStream out;
    private int requests;
    private long idleSinceNanos;

    private HttpConnection(ConnectionKey key, Socket socket) throws IOException {
        this.key = key;
        this.socket = socket;
        this.deadlineInput = new DeadlineInput(socket);
        this.in = new BufferedInputStream(deadlineInput, 16 * 1024);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 2048);
    }

    static HttpConnection open(FetchTarget target, SSLSocketFactory tls, long deadlineNanos) throws IOException {
        Socket raw = new Socket();
        try {
            raw.connect(new InetSocketAddress(target.address(), target.port()), remainingMillis(deadlineNanos));
            raw.setTcpNoDelay(true);
            raw.setSoTimeout(remainingMillis(deadlineNanos));
            Socket socket = target.https() ? tls(raw, target.uri().getHost(), target.port(), tls) : raw;
            return new HttpConnection(ConnectionKey.of(target), socket);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    private static Socket tls(Socket raw, String host, int port, SSLSocketFactory tls) throws IOException {
        SSLSocket ssl = (SSLSocket) tls.createSocket(raw, host, port, true);
        SSLParameters parameters = ssl.getSSLParameters();
        // Verify the certificate against the host name from the URL, not the address connected to.
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (AddressRange.literal(host).isEmpty()) {
            parameters.setServerNames(List.of(new SNIHostName(host)));
        }
        ssl.setSSLParameters(parameters);
        ssl.startHandshake();
        return ssl;
    }

    ConnectionKey key() {
        return key;
    }

    long idleSinceNanos() {
        return idleSinceNanos;
    }

    void idleSince(long nanos) {
        idleSinceNanos = nanos;
    }

    /**
     * Sends a GET for the target's path and reads the answer: for status 200 the body up to
     * {@code maxBytes} (a larger one comes back truncated and ends the connection), for other
     * statuses no body.
     *
     * @throws StaleConnectionException when a kept-alive connection turned out closed before any answer
     */
    Exchange get(FetchTarget target, long maxBytes, long deadlineNanos) throws IOException {
        deadlineInput.deadlineNanos = deadlineNanos;
        boolean reused = requests++ > 0;
        String statusLine;
        try {
            out.write(request(target).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            statusLine = readLine(true);
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException e) {
            if (reused) {
                throw new StaleConnectionException("the kept-alive connection was closed by the server", e);
            }
            throw e;
        }
        int status = status(statusLine);
        Map<String, String> headers = readHeaders();
        while (status >= 100 && status < 200) {
            // Interim answers (100 Continue, 103 Early Hints) precede the real one.
            status = status(readLine(false));
            headers = readHeaders();
        }
        boolean keepAlive = statusLine.startsWith("HTTP/1.1")
                && !headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT).contains("close");
        Framing framing = Framing.of(status, headers);
        if (status != 200) {
            return new Exchange(new PinnedHttpGet.Response(status, headers, new byte[0], false), keepAlive && drain(framing));
        }
        return readBody(status, headers, framing, maxBytes, keepAlive);
    }

    /** How the body's end is known. */
    private record Framing(boolean none, boolean chunked, long length) {

        static Framing of(int status, Map<String, String> headers) throws IOException {
            if (status == 204 || status == 304) {
                return new Framing(true, false, 0);
            }
            if (headers.getOrDefault("transfer-encoding", "identity").toLowerCase(Locale.ROOT).contains("chunked")) {
                return new Framing(false, true, -1);
            }
            String length = headers.get("content-length");
            if (length == null) {
                return new Framing(false, false, -1);
            }
            try {
                long declared = Long.parseLong(length.trim());
                if (declared < 0) {
                    throw new NumberFormatException();
                }
                return new Framing(declared == 0, false, declared);
            } catch (NumberFormatException e) {
                throw new IOException("bad Content-Length '" + length + "'");
            }
        }

        /** A body that ends only when the server closes the connection. */
        boolean untilClose() {
            return !none && !chunked && length < 0;
        }
    }

    private Exchange readBody(int status, Map<String, String> headers, Framing framing, long maxBytes, boolean keepAlive)
            throws IOException {
        if (framing.length() > maxBytes) {
            return new Exchange(new PinnedHttpGet.Response(status, headers, new byte[0], true), false);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream((int) Math.min(Math.max(framing.length(), 16 * 1024), 1 << 20));
        boolean complete;
        if (framing.none()) {
            complete = true;
        } else if (framing.chunked()) {
            complete = readChunks(body, maxBytes);
        } else if (framing.untilClose()) {
            copy(body, maxBytes + 1, false);
            complete = false;
        } else {
            copy(body, framing.length(), true);
            complete = true;
        }
        boolean truncated = body.size() > maxBytes || (framing.chunked() && !complete);
        return new Exchange(new PinnedHttpGet.Response(status, headers, body.toByteArray(), truncated),
                keepAlive && complete && !framing.untilClose());
    }

    /** Reads a chunked body; false when it was over {@code maxBytes} and reading stopped. */
    private boolean readChunks(ByteArrayOutputStream body, long maxBytes) throws IOException {
        while (true) {
            String line = readLine(false);
            int semicolon = line.indexOf(';');
            long size;
            try {
                size = Long.parseLong((semicolon < 0 ? line : line.substring(0, semicolon)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size line '" + line + "'");
            }
            if (size < 0) {
                throw new IOException("negative chunk size");
            }
            if (size == 0) {
                while (!readLine(false).isEmpty()) {
                    // trailer fields: ignored
                }
                return true;
            }
            if (body.size() + size > maxBytes) {
                return false;
            }
            copy(body, size, true);
            if (!readLine(false).isEmpty()) {
                throw new IOException("chunk data not followed by CRLF");
            }
        }
    }

    /** Reads and drops a non-200 body if it is small and framed; false when the connection cannot be reused. */
    private boolean drain(Framing framing) throws IOException {
        if (framing.none()) {
            return true;
        }
        if (framing.untilClose() || framing.length() > DRAIN_LIMIT) {
            return false;
        }
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        return framing.chunked() ? readChunks(sink, DRAIN_LIMIT) : copy(sink, framing.length(), true) >= 0;
    }

    /** Copies up to {@code count} bytes; with {@code exact}, fewer is an error. */
    private long copy(ByteArrayOutputStream to, long count, boolean exact) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        long copied = 0;
        while (copied < count) {
            int n = in.read(chunk, 0, (int) Math.min(chunk.length, count - copied));
            if (n < 0) {
                if (exact) {
                    throw new EOFException("the body ended after " + copied + " of " + count + " bytes");
                }
                break;
            }
            to.write(chunk, 0, n);
            copied += n;
        }
        return copied;
    }

    private Map<String, String> readHeaders() throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        int total = 0;
        for (String line = readLine(false); !line.isEmpty(); line = readLine(false)) {
            total += line.length() + 2;
            if (total > MAX_HEADER_BYTES) {
                throw new IOException("response headers over " + MAX_HEADER_BYTES + " bytes");
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.putIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        return headers;
    }

    /** One CRLF- (or LF-) terminated line without its terminator. */
    private String readLine(boolean first) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException(first && line.size() == 0 ? "the server closed the connection without answering"
                        : "the server closed the connection in the middle of the response headers");
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
            if (line.size() > MAX_LINE_BYTES) {
                throw new IOException("a response line over " + MAX_LINE_BYTES + " bytes");
            }
        }
    }

    private static int status(String statusLine) throws IOException {
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP response: '" + statusLine.substring(0, Math.min(80, statusLine.length())) + "'");
        }
        try {
            return Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("bad HTTP status line: '" + statusLine + "'");
        }
    }

    private static String request(FetchTarget target) {
        String path = target.uri().getRawPath() == null || target.uri().getRawPath().isEmpty() ? "/" : target.uri().getRawPath();
        String query = target.uri().getRawQuery() == null ? "" : "?" + target.uri().getRawQuery();
        String hostHeader = target.uri().getHost() + (target.uri().getPort() == -1 ? "" : ":" + target.uri().getPort());
        return "GET " + path + query + " HTTP/1.1\r\n"
                + "Host: " + hostHeader + "\r\n"
                + "Accept: image/*\r\n"
                + "Accept-Encoding: identity\r\n"
                + "User-Agent: clipstream\r\n"
                + "Connection: keep-alive\r\n\r\n";
    }

    static int remainingMillis(long deadlineNanos) throws SocketTimeoutException {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
            throw new SocketTimeoutException("no complete response within the fetch timeout");
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, remaining / 1_000_000));
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a connection we are done with: nothing to do about a failure
        }
    }

    /**
     * The socket's input with each read limited to the time left before the deadline: per-read
     * timeouts alone would let a server that drips one byte at a time hold the fetch forever.
     */
    private static final class DeadlineInput extends InputStream {

        private final Socket socket;
        private final InputStream raw;
        long deadlineNanos = Long.MAX_VALUE;

        DeadlineInput(Socket socket) throws IOException {
            this.socket = socket;
            this.raw = socket.getInputStream();
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            socket.setSoTimeout(remainingMillis(deadlineNanos));
            return raw.read(buffer, offset, length);
        }
    }
}
