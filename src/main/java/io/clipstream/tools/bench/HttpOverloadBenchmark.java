package io.clipstream.tools.bench;

import io.clipstream.http.HttpApi;
import io.clipstream.http.HttpLimits;
import io.clipstream.http.HttpSettings;
import io.clipstream.http.HttpTransport;
import io.clipstream.search.QueryLimits;
import io.clipstream.search.SearchBackend;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP API under overload, on one server transport at a time, the same routes and handlers on
 * each: (1) {@code clients} clients, each sending one search after another (no pause, no regard
 * for Retry-After) for {@code seconds}; every outcome is recorded: 200, 503 with or without
 * Retry-After, any other status, or no response at all (the connection closed or reset, or no
 * answer within the client's timeout). (2) {@code slow} connections each sending a request header
 * one byte a second while one ordinary client searches; how many of its searches were answered,
 * how fast, and how many slow connections the server closed.
 */
public final class HttpOverloadBenchmark {

    /** Client-side limit on one request: an answer later than this counts as none. */
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(60);

    /** What phase 1 saw. */
    public record Overload(String server, int clients, double seconds, long requests, long ok, long refusedWithRetryAfter,
                           long refusedWithoutRetryAfter, long otherStatus, long noResponse, LatencySummary admitted,
                           List<String> firstProblems) {
        public double refusedShare() {
            return requests == 0 ? 0 : (double) (refusedWithRetryAfter + refusedWithoutRetryAfter) / requests;
        }

        public double okPerSecond() {
            return ok / seconds;
        }
    }

    /** What phase 2 saw. */
    public record SlowClients(String server, int slow, double seconds, int slowClosedByServer, long searches, long searchesOk,
                              long searchesFailed, LatencySummary latency) {
    }

    private final SearchBackend backend;
    private final HttpLimits limits;

    public HttpOverloadBenchmark(SearchBackend backend, HttpLimits limits) {
        this.backend = backend;
        this.limits = limits;
    }

    /** The API on {@code transport}; null for the service's own (Jetty). */
    private HttpApi start(HttpTransport.Factory transport) throws IOException {
        HttpSettings settings = new HttpSettings("127.0.0.1", 0, 16L << 20).withLimits(limits);
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        HttpApi api = transport == null
                ? new HttpApi(settings, backend, null, null, () -> Map.of("bench", "RUNNING"), metrics, QueryLimits.DEFAULT)
                : HttpApi.on(transport, settings, backend, () -> Map.of("bench", "RUNNING"), metrics, QueryLimits.DEFAULT);
        api.start();
        return api;
    }

    public Overload overload(String server, HttpTransport.Factory transport, int clients, int k, Duration duration)
            throws Exception {
        try (HttpApi api = start(transport);
             HttpClient client = client();
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            URI uri = URI.create("http://127.0.0.1:" + api.port() + "/v1/search");
            String body = searchBody(k);
            AtomicLong ok = new AtomicLong();
            AtomicLong refusedWith = new AtomicLong();
            AtomicLong refusedWithout = new AtomicLong();
            AtomicLong other = new AtomicLong();
            AtomicLong none = new AtomicLong();
            ConcurrentLinkedQueue<Long> admitted = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
            long start = System.nanoTime();
            long deadline = start + duration.toNanos();
            for (int c = 0; c < clients; c++) {
                threads.submit(() -> {
                    while (System.nanoTime() < deadline) {
                        long sent = System.nanoTime();
                        try {
                            HttpResponse<Void> response = client.send(search(uri, body, CLIENT_TIMEOUT),
                                    HttpResponse.BodyHandlers.discarding());
                            long elapsed = System.nanoTime() - sent;
                            if (response.statusCode() == 200) {
                                ok.incrementAndGet();
                                admitted.add(elapsed);
                            } else if (response.statusCode() == 503) {
                                (response.headers().firstValue("Retry-After").isPresent() ? refusedWith : refusedWithout)
                                        .incrementAndGet();
                            } else {
                                other.incrementAndGet();
                                note(problems, "HTTP " + response.statusCode());
                            }
                        } catch (IOException e) {
                            none.incrementAndGet();
                            note(problems, e.toString());
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                });
            }
            threads.shutdown();
            threads.awaitTermination(duration.toMillis() + CLIENT_TIMEOUT.toMillis() + 30_000, TimeUnit.MILLISECONDS);
            double seconds = (System.nanoTime() - start) / 1e9;
            long requests = ok.get() + refusedWith.get() + refusedWithout.get() + other.get() + none.get();
            long[] latencies = admitted.stream().mapToLong(Long::longValue).toArray();
            return new Overload(server, clients, seconds, requests, ok.get(), refusedWith.get(), refusedWithout.get(), other.get(),
                    none.get(), latencies.length == 0 ? null : LatencySummary.ofNanos(latencies), List.copyOf(problems));
        }
    }

    public SlowClients slowClients(String server, HttpTransport.Factory transport, int slow, int k, Duration duration)
            throws Exception {
        try (HttpApi api = start(transport);
             HttpClient client = client();
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            AtomicInteger closed = new AtomicInteger();
            long start = System.nanoTime();
            long deadline = start + duration.toNanos();
            byte[] header = ("GET /health/live HTTP/1.1\r\nHost: bench\r\nX-Slow: " + "s".repeat(4000) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            List<Socket> sockets = new ArrayList<>();
            for (int i = 0; i < slow; i++) {
                Socket socket = new Socket("127.0.0.1", api.port());
                sockets.add(socket);
                threads.submit(() -> trickle(socket, header, deadline, closed));
            }
            URI uri = URI.create("http://127.0.0.1:" + api.port() + "/v1/search");
            String body = searchBody(k);
            List<Long> latencies = new ArrayList<>();
            long failed = 0;
            long searches = 0;
            while (System.nanoTime() < deadline) {
                searches++;
                long sent = System.nanoTime();
                try {
                    HttpResponse<Void> response = client.send(search(uri, body, Duration.ofSeconds(10)),
                            HttpResponse.BodyHandlers.discarding());
                    if (response.statusCode() == 200) {
                        latencies.add(System.nanoTime() - sent);
                    } else {
                        failed++;
                    }
                } catch (IOException e) {
                    failed++;
                }
            }
            threads.shutdownNow();
            for (Socket socket : sockets) {
                socket.close();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long[] nanos = latencies.stream().mapToLong(Long::longValue).toArray();
            return new SlowClients(server, slow, seconds, closed.get(), searches, nanos.length, failed,
                    nanos.length == 0 ? null : LatencySummary.ofNanos(nanos));
        }
    }

    /** One header byte a second until the deadline or until the server closes the connection. */
    private static void trickle(Socket socket, byte[] header, long deadline, AtomicInteger closed) {
        try {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            socket.setSoTimeout(1);
            for (int i = 0; i < header.length && System.nanoTime() < deadline; i++) {
                out.write(header[i]);
                out.flush();
                try {
                    if (in.read() < 0) {
                        closed.incrementAndGet();
                        return;
                    }
                } catch (java.net.SocketTimeoutException e) {
                    // still open
                }
                Thread.sleep(1000); // the slow client's pace
            }
        } catch (IOException e) {
            closed.incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** HTTP/1.1 (the server speaks no HTTP/2), one connection per request in flight. */
    private static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    private static String searchBody(int k) {
        return "{\"text\":\"a dog running on a beach\",\"target\":\"TEXT\",\"k\":" + k + "}";
    }

    private static HttpRequest search(URI uri, String body, Duration timeout) {
        return HttpRequest.newBuilder(uri).timeout(timeout).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static void note(ConcurrentLinkedQueue<String> problems, String problem) {
        if (problems.size() < 5) {
            problems.add(problem);
        }
    }
}
