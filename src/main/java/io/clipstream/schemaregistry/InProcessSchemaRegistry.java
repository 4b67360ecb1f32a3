package io.clipstream.schemaregistry;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Confluent-compatible schema registry inside this JVM, for the embedded demo and for tests:
 * the REST subset that Avro producers, consumers and operators use, over the JDK's HTTP server on
 * virtual threads. State lives in memory and is lost on {@link #close()}.
 *
 * <p>Served: {@code POST /subjects/{s}/versions}, {@code POST /subjects/{s}}, {@code GET /subjects},
 * {@code GET /subjects/{s}/versions}, {@code GET /subjects/{s}/versions/{n|latest}[/schema]},
 * {@code GET /schemas/ids/{id}}, {@code GET /schemas/types},
 * {@code POST /compatibility/subjects/{s}/versions/{n|latest}}, {@code GET|PUT /config[/{s}]}.
 */
public final class InProcessSchemaRegistry implements AutoCloseable {

    public static final int DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(InProcessSchemaRegistry.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final URI url;

    /**
     * @param bindAddress       where to listen; port 0 picks a free port
     * @param basicAuthUserInfo {@code user:password} that every request must present, if any
     * @param defaultLevel      the global compatibility level until {@code PUT /config} changes it
     * @param maxRequestBytes   larger request bodies are refused with 413
     */
    public InProcessSchemaRegistry(InetSocketAddress bindAddress, Optional<String> basicAuthUserInfo,
                                   CompatibilityLevel defaultLevel, int maxRequestBytes) {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(basicAuthUserInfo, "basicAuthUserInfo");
        Objects.requireNonNull(defaultLevel, "defaultLevel");
        if (maxRequestBytes < 1) {
            throw new IllegalArgumentException("maxRequestBytes must be positive, got " + maxRequestBytes);
        }
        basicAuthUserInfo.ifPresent(userInfo -> {
            if (userInfo.indexOf(':') < 1) {
                throw new IllegalArgumentException("registry basic auth must look like user:password (value not shown)");
            }
        });
        try {
            this.server = HttpServer.create(bindAddress, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("in-process schema registry cannot listen on " + bindAddress
                    + " (" + e.getMessage() + "); choose another port or 0 for any free one", e);
        }
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", new RegistryHttpHandler(new SchemaStore(defaultLevel), basicAuthUserInfo, maxRequestBytes));
        server.start();
        InetSocketAddress bound = server.getAddress();
        String host = bound.getAddress().getHostAddress();
        this.url = URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + bound.getPort());
        LOG.info("In-process schema registry listening at {}{}", url, basicAuthUserInfo.isPresent() ? " (basic auth)" : "");
    }

    /** On 127.0.0.1, a free port, no authentication, BACKWARD, 1 MiB request limit. */
    public InProcessSchemaRegistry() {
        this(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), Optional.empty(),
                CompatibilityLevel.BACKWARD, DEFAULT_MAX_REQUEST_BYTES);
    }

    /** On 127.0.0.1 and {@code port} (0 for a free one), requiring {@code basicAuthUserInfo} if given. */
    public InProcessSchemaRegistry(int port, Optional<String> basicAuthUserInfo) {
        this(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), basicAuthUserInfo,
                CompatibilityLevel.BACKWARD, DEFAULT_MAX_REQUEST_BYTES);
    }

    /** The base URL to give clients as {@code schema.registry.url}. */
    public URI url() {
        return url;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops listening at once and abandons requests in flight. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        LOG.info("In-process schema registry at {} stopped", url);
    }

    @Override
    public String toString() {
        return "InProcessSchemaRegistry[" + url + "]";
    }
}
