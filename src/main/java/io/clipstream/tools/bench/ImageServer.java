package io.clipstream.tools.bench;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The benchmark's image host on loopback: {@code /img/I/N} answers benchmark image I (any N, so
 * each event has a URL of its own, as in a catalog feed) after a fixed latency, as a far-away
 * server or a CDN miss would; HTTP/1.1 with keep-alive, one virtual thread per request so any
 * number wait at once. The latency is the server's, slept before it answers.
 */
final class ImageServer implements AutoCloseable {

    private final List<BenchImage> images;
    private final Duration latency;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger requests = new AtomicInteger();

    ImageServer(List<BenchImage> images, Duration latency) throws IOException {
        this.images = List.copyOf(images);
        this.latency = latency;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        server.setExecutor(threads);
        server.createContext("/img/", exchange -> {
            requests.incrementAndGet();
            try (exchange) {
                String[] parts = exchange.getRequestURI().getPath().split("/");
                BenchImage image = this.images.get(Integer.parseInt(parts[2]) % this.images.size());
                Thread.sleep(this.latency);
                exchange.getResponseHeaders().set("Content-Type", contentType(image.name()));
                exchange.sendResponseHeaders(200, image.bytes().length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(image.bytes());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                exchange.sendResponseHeaders(404, -1);
            }
        });
        server.start();
    }

    private static String contentType(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".png") ? "image/png" : lower.endsWith(".jpg") || lower.endsWith(".jpeg") ? "image/jpeg"
                : "application/octet-stream";
    }

    /** The URL of image {@code image} for event {@code n}. */
    String url(int image, int n) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/img/" + image + "/" + n;
    }

    int requests() {
        return requests.get();
    }

    Duration latency() {
        return latency;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
