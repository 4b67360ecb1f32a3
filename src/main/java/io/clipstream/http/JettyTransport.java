package io.clipstream.http;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Predicate;

/**
 * The API over Jetty 12 (its core handler API, no servlets): handlers run on a pool of platform
 * threads; searches are bounded by {@link SearchAdmission}; connections by http.max.connections; a
 * connection is closed after http.idle.timeout.ms of silence, or when a request's headers take
 * longer than http.header.timeout.ms ({@link HeaderDeadline}); a body slower than
 * http.request.timeout.ms gets 408. HTTP/1.1 keep-alive is on. Errors Jetty answers itself (a
 * malformed request line, headers over the size limit) use the API's JSON error shape too.
 */
public final class JettyTransport implements HttpTransport {

    private static final Logger LOG = LoggerFactory.getLogger(JettyTransport.class);
    /**
     * Jetty's threads: selectors, acceptors and handlers. Platform threads, not virtual ones: a search is CPU work
     * (the model, the scan), and a few of them on virtual threads would hold every carrier thread, so that Jetty
     * could not even run the admission decision that refuses the next request. Searches beyond their turns wait
     * suspended, holding no thread, so the pool need not grow with the load.
     */
    private static final int THREADS = 200;

    private final Server server;
    private final ServerConnector connector;

    JettyTransport(HttpSettings settings, Routes routes, Predicate<String> bounded, MeterRegistry metrics) {
        HttpLimits limits = settings.limits();
        QueuedThreadPool threads = new QueuedThreadPool(THREADS, 8);
        threads.setName("http");
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // Item ids may hold '/' (sent as %2F), be '..' or empty, and the handlers decode the raw path themselves and
        // answer those as the JDK server let them; no path here names a file, so an ambiguous path reaches nothing.
        http.setUriCompliance(UriCompliance.DEFAULT.with("clipstream item ids",
                UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR, UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING,
                UriCompliance.Violation.AMBIGUOUS_PATH_SEGMENT, UriCompliance.Violation.AMBIGUOUS_EMPTY_SEGMENT));
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(settings.bindHost());
        connector.setPort(settings.port());
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        connector.setAcceptQueueSize(128);
        HeaderDeadline headers = new HeaderDeadline(server.getScheduler(), limits.headerTimeout().toMillis());
        connector.addBean(headers);
        server.addConnector(connector);
        NetworkConnectionLimit connections = new NetworkConnectionLimit(limits.maxConnections(), connector);
        server.addBean(connections);
        SearchAdmission admission = new SearchAdmission(limits, bounded, metrics);
        admission.setHandler(new Dispatch(routes, limits.requestTimeout().toMillis()));
        server.setHandler(admission);
        server.setErrorHandler(new JsonErrors());
        Gauge.builder("clipstream.http.connections", connections, NetworkConnectionLimit::getNetworkConnectionCount)
                .description("open HTTP connections").register(metrics);
        Gauge.builder("clipstream.http.slow.headers.closed", headers, HeaderDeadline::closed)
                .description("connections closed because a request header took longer than http.header.timeout.ms")
                .register(metrics);
    }

    @Override
    public void start() throws IOException {
        try {
            server.start();
        } catch (IOException e) {
            close();
            throw e;
        } catch (Exception e) {
            close();
            throw new IOException("the HTTP server did not start: " + e.getMessage(), e);
        }
    }

    @Override
    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("stopping the HTTP server failed: {}", e.toString());
        }
    }

    /** Hands each request to the handler of its path. */
    private static final class Dispatch extends Handler.Abstract {
        private final Routes routes;
        private final long requestTimeoutMs;

        Dispatch(Routes routes, long requestTimeoutMs) {
            this.routes = routes;
            this.requestTimeoutMs = requestTimeoutMs;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            JettyExchange exchange = new JettyExchange(request, response, callback, requestTimeoutMs);
            Routes.Handler handler = routes.find(exchange.path()).orElse(null);
            if (handler == null) {
                exchange.respond(404, "application/json", Exchanges.errorBody(404, "no such path: " + exchange.path()));
                return true;
            }
            try {
                handler.handle(exchange);
            } finally {
                if (!exchange.responded()) {
                    // Every handler answers; this is the safety net, so that no exchange is left hanging.
                    exchange.respond(500, "application/json", Exchanges.errorBody(500, "internal error: no answer was written"));
                }
            }
            return true;
        }
    }

    /** Jetty's own error answers (bad request line, headers too large, ...) in the API's JSON shape. */
    private static final class JsonErrors extends ErrorHandler {
        @Override
        protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                        Callback callback) {
            byte[] body = Exchanges.errorBody(code, message == null ? "HTTP " + code : message);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
            response.write(true, ByteBuffer.wrap(body), callback);
        }
    }
}
