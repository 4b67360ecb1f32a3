package io.clipstream.fetch;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.ByteArrayOutputStream;
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
import java.util.Optional;

/**
 * One HTTP GET sent to exactly the address a {@link FetchTarget} was checked against. The JDK's
 * HttpClient resolves the host again when it connects, which would let a DNS answer that changes
 * between check and connect (rebinding) send the request somewhere unchecked; here the socket is
 * opened to the checked address and the host name is used only for the Host header, TLS SNI and
 * certificate verification. HTTP/1.0 is asked for so the body is never chunked and ends with the
 * connection.
 */
final class PinnedHttpGet {

    private static final int MAX_HEADER_BYTES = 64 * 1024;

    /** A response with its body read up to a limit. */
    record Response(int status, Map<String, String> headers, byte[] body, boolean truncated) {

        Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }
    }

    private final FetchLimits limits;
    private final SSLSocketFactory tls;

    PinnedHttpGet(FetchLimits limits, SSLSocketFactory tls) {
        this.limits = limits;
        this.tls = tls;
    }

    /** The response; for a status other than 200 the body is not read. */
    Response get(FetchTarget target) throws IOException {
        long deadline = System.nanoTime() + limits.timeout().toNanos();
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, limits.timeout().toMillis());
        String host = target.uri().getHost();
        try (Socket raw = new Socket()) {
            raw.connect(new InetSocketAddress(target.address(), target.port()), timeoutMs);
            raw.setSoTimeout(timeoutMs);
            Socket socket = target.https() ? tls(raw, host, target.port()) : raw;
            try {
                OutputStream out = socket.getOutputStream();
                out.write(request(target).getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                InputStream in = socket.getInputStream();
                List<String> head = readHead(in, deadline);
                int status = status(head.get(0));
                Map<String, String> headers = new LinkedHashMap<>();
                for (String line : head.subList(1, head.size())) {
                    int colon = line.indexOf(':');
                    if (colon > 0) {
                        headers.putIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
                    }
                }
                if (status != 200) {
                    return new Response(status, headers, new byte[0], false);
                }
                return readBody(in, status, headers, deadline);
            } finally {
                if (socket != raw) {
                    socket.close();
                }
            }
        }
    }

    private Socket tls(Socket raw, String host, int port) throws IOException {
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

    private static String request(FetchTarget target) {
        String path = target.uri().getRawPath() == null || target.uri().getRawPath().isEmpty() ? "/" : target.uri().getRawPath();
        String query = target.uri().getRawQuery() == null ? "" : "?" + target.uri().getRawQuery();
        String hostHeader = target.uri().getHost() + (target.uri().getPort() == -1 ? "" : ":" + target.uri().getPort());
        return "GET " + path + query + " HTTP/1.0\r\n"
                + "Host: " + hostHeader + "\r\n"
                + "Accept: image/*\r\n"
                + "User-Agent: clipstream\r\n"
                + "Connection: close\r\n\r\n";
    }

    private static List<String> readHead(InputStream in, long deadline) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int lastFour = 0;
        while (lastFour != 0x0D0A0D0A) {
            checkDeadline(deadline);
            int b = in.read();
            if (b < 0) {
                throw new IOException("the server closed the connection before the end of the response headers");
            }
            buffer.write(b);
            if (buffer.size() > MAX_HEADER_BYTES) {
                throw new IOException("response headers over " + MAX_HEADER_BYTES + " bytes");
            }
            lastFour = (lastFour << 8) | b;
        }
        String text = buffer.toString(StandardCharsets.ISO_8859_1);
        return List.of(text.substring(0, text.length() - 4).split("\r\n"));
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

    private Response readBody(InputStream in, int status, Map<String, String> headers, long deadline) throws IOException {
        if (headers.getOrDefault("transfer-encoding", "identity").toLowerCase(Locale.ROOT).contains("chunked")) {
            throw new IOException("the server sent a chunked body to an HTTP/1.0 request");
        }
        long declared = -1;
        if (headers.containsKey("content-length")) {
            try {
                declared = Long.parseLong(headers.get("content-length"));
            } catch (NumberFormatException e) {
                throw new IOException("bad Content-Length '" + headers.get("content-length") + "'");
            }
        }
        if (declared > limits.maxBytes()) {
            return new Response(status, headers, new byte[0], true);
        }
        long want = declared >= 0 ? declared : limits.maxBytes() + 1;
        ByteArrayOutputStream body = new ByteArrayOutputStream((int) Math.min(want, 1 << 20));
        byte[] chunk = new byte[64 * 1024];
        while (body.size() < want) {
            checkDeadline(deadline);
            int n = in.read(chunk, 0, (int) Math.min(chunk.length, want - body.size()));
            if (n < 0) {
                break;
            }
            body.write(chunk, 0, n);
        }
        if (declared >= 0 && body.size() < declared) {
            throw new IOException("the body ended after " + body.size() + " of " + declared + " bytes");
        }
        return new Response(status, headers, body.toByteArray(), body.size() > limits.maxBytes());
    }

    private static void checkDeadline(long deadline) throws SocketTimeoutException {
        // Per-read timeouts alone would let a server that drips one byte at a time hold the fetch forever.
        if (System.nanoTime() > deadline) {
            throw new SocketTimeoutException("no complete response within the fetch timeout");
        }
    }
}
