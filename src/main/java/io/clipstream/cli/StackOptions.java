package io.clipstream.cli;

import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** The options of the bench commands that start the whole embedded stack (broker, registry, clipstream). */
final class StackOptions {

    @Option(names = "--partitions", defaultValue = "4", description = "Partitions per topic (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--port", description = "REST port of the stack (default: a free port).")
    Integer port;

    int portOrFree() {
        if (port != null) {
            return port;
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free local port for the stack's REST API: give --port", e);
        }
    }
}
