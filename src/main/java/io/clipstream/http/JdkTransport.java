package io.clipstream.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * The JDK's built-in server, as the API ran on before issue 14: no admission control, no header
 * or request timeouts. Kept only as the baseline of {@code clipstream bench http}, which measures
 * it beside {@link JettyTransport} with the same routes and handlers; the service never uses it.
 */
public final class JdkTransport implements HttpTransport {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    JdkTransport(HttpSettings settings, Routes routes, Predicate<String> bounded, MeterRegistry metrics) throws IOException {
        server = HttpServer.create(new InetSocketAddress(settings.bindHost(), settings.port()), 128);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try (exchange) {
                JdkExchange wrapped = new JdkExchange(exchange);
                Routes.Handler handler = routes.find(wrapped.path()).orElse(null);
                if (handler == null) {
                    wrapped.respond(404, "application/json", Exchanges.errorBody(404, "no such path: " + wrapped.path()));
                    return;
                }
                handler.handle(wrapped);
            }
        });
    }

    @Override
    public void start() {
        server.start();
    }

    @Override
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static final class JdkExchange implements Exchange {
        private final HttpExchange exchange;
        private boolean responded;

        JdkExchange(HttpExchange exchange) {
            this.exchange = exchange;
        }

        @Override
        public String method() {
            return exchange.getRequestMethod();
        }

        @Override
        public String rawPath() {
            return exchange.getRequestURI().getRawPath();
        }

        @Override
        public String path() {
            return exchange.getRequestURI().getPath();
        }

        @Override
        public String rawQuery() {
            return exchange.getRequestURI().getRawQuery();
        }

        @Override
        public String requestHeader(String name) {
            return exchange.getRequestHeaders().getFirst(name);
        }

        @Override
        public InputStream requestBody() {
            return exchange.getRequestBody();
        }

        @Override
        public void setResponseHeader(String name, String value) {
            exchange.getResponseHeaders().set(name, value);
        }

        @Override
        public void respond(int status, String contentType, byte[] body) throws IOException {
            responded = true;
            if (contentType != null) {
                exchange.getResponseHeaders().set("Content-Type", contentType);
            }
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }

        @Override
        public boolean responded() {
            return responded;
        }
    }
}
