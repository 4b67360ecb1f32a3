package io.clipstream.fetch;

import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP GET sent to exactly the address a {@link FetchTarget} was checked against. The JDK's
 * HttpClient resolves the host again when it connects, which would let a DNS answer that changes
 * between check and connect (rebinding) send the request somewhere unchecked; here the socket is
 * opened to the checked address and the host name is used only for the Host header, TLS SNI and
 * certificate verification. Connections are kept alive and reused for the same host, port and
 * checked address ({@link ConnectionPool}); a kept-alive connection the server has closed is
 * replaced by a fresh one once.
 */
final class PinnedHttpGet implements AutoCloseable {

    /** A response with its body read up to a limit. */
    record Response(int status, Map<String, String> headers, byte[] body, boolean truncated) {

        Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }
    }

    private final FetchLimits limits;
    private final SSLSocketFactory tls;
    private final ConnectionPool pool;

    PinnedHttpGet(FetchLimits limits, SSLSocketFactory tls, ConnectionPool pool) {
        this.limits = limits;
        this.tls = tls;
        this.pool = pool;
    }

    /** The response; for a status other than 200 the body is not kept. */
    Response get(FetchTarget target, long deadlineNanos) throws IOException {
        HttpConnection pooled = pool.take(ConnectionKey.of(target));
        if (pooled != null) {
            try {
                return finish(pooled, pooled.get(target, limits.maxBytes(), deadlineNanos));
            } catch (HttpConnection.StaleConnectionException stale) {
                pooled.close();
            } catch (IOException | RuntimeException e) {
                pooled.close();
                throw e;
            }
        }
        HttpConnection fresh = HttpConnection.open(target, tls, deadlineNanos);
        try {
            return finish(fresh, fresh.get(target, limits.maxBytes(), deadlineNanos));
        } catch (IOException | RuntimeException e) {
            fresh.close();
            throw e;
        }
    }

    private Response finish(HttpConnection connection, HttpConnection.Exchange exchange) {
        if (exchange.reusable()) {
            pool.release(connection);
        } else {
            connection.close();
        }
        return exchange.response();
    }

    @Override
    public void close() {
        pool.close();
    }
}
