package io.clipstream.http;

import io.micrometer.core.instrument.MeterRegistry;

import java.io.IOException;
import java.util.function.Predicate;

/** The server that carries the API's routes over the network. */
public interface HttpTransport extends AutoCloseable {

    void start() throws IOException;

    /** The port listened on (the chosen one when http.port is 0). */
    int port();

    @Override
    void close();

    /** Builds a transport; {@code bounded} tells, by decoded request path, the requests that take a search turn. */
    @FunctionalInterface
    interface Factory {
        HttpTransport create(HttpSettings settings, Routes routes, Predicate<String> bounded, MeterRegistry metrics)
                throws IOException;
    }
}
