package io.clipstream.fetch;

import com.sun.net.httpserver.HttpServer;
import io.clipstream.common.InvalidEventException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fetcher under concurrency: connections kept alive, chunked bodies, a kept-alive connection the
 * server closed, a host that never answers and one that answers slowly, each beside a good host.
 */
class ConcurrentFetchTest {

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    private static final UrlPolicy LOOPBACK = new UrlPolicy(UrlPolicySettings.ALLOW_PRIVATE);

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private String server(int delayMs, Set<String> clients) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            clients.add(exchange.getRemoteAddress().toString());
            if (delayMs > 0) {
                try {
                    Thread.sleep(delayMs); // the server's own slowness, not synchronisation
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            boolean chunked = exchange.getRequestURI().getPath().startsWith("/chunked");
            byte[] body = exchange.getRequestURI().getPath().endsWith("big.png") ? big() : PNG;
            exchange.getResponseHeaders().set("Content-Type", "image/png");
            exchange.sendResponseHeaders(200, chunked ? 0 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                // A chunked body in several chunks; otherwise one write.
                int step = chunked ? 5 : body.length;
                for (int i = 0; i < body.length; i += step) {
                    out.write(body, i, Math.min(step, body.length - i));
                    out.flush();
                }
            }
        });
        server.start();
        closing.add(() -> server.stop(0));
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static byte[] big() {
        byte[] body = new byte[3000];
        System.arraycopy(PNG, 0, body, 0, PNG.length);
        return body;
    }

    private ImageFetcher fetcher(Duration timeout, FetchConcurrency concurrency) {
        ImageFetcher fetcher = new ImageFetcher(new FetchLimits(2048, timeout, 2), concurrency, LOOPBACK);
        closing.add(fetcher);
        return fetcher;
    }

    @Test
    void connectionsToAHostAreKeptAliveAndReused() throws Exception {
        Set<String> clients = ConcurrentHashMap.newKeySet();
        String base = server(0, clients);
        ImageFetcher fetcher = fetcher(Duration.ofSeconds(5), FetchConcurrency.DEFAULT);
        for (int i = 0; i < 20; i++) {
            assertArrayEquals(PNG, fetcher.fetch(base + "/cat-" + i + ".png", "item-" + i));
        }
        assertEquals(1, clients.size(), "one connection served all 20 sequential fetches: " + clients);
    }

    @Test
    void chunkedBodiesAreReadAndHeldToTheByteLimit() throws Exception {
        String base = server(0, ConcurrentHashMap.newKeySet());
        ImageFetcher fetcher = fetcher(Duration.ofSeconds(5), FetchConcurrency.DEFAULT);
        assertArrayEquals(PNG, fetcher.fetch(base + "/chunked/cat.png", "item-1"));
        InvalidEventException huge = assertThrows(InvalidEventException.class, () -> fetcher.fetch(base + "/chunked/big.png", "item-2"));
        assertEquals("FETCH_FAILED", huge.code());
        assertTrue(huge.getMessage().contains("fetch.max.bytes"), huge.getMessage());
        assertArrayEquals(PNG, fetcher.fetch(base + "/chunked/cat.png", "item-3"), "the over-long body ended only its connection");
    }

    @Test
    void aKeptAliveConnectionTheServerDroppedIsReplacedByAFreshOne() throws Exception {
        // Answers one request per connection as if it would keep it alive, then closes it.
        ServerSocket listener = new ServerSocket(0, 16, java.net.InetAddress.getLoopbackAddress());
        closing.add(listener);
        AtomicInteger connections = new AtomicInteger();
        Thread.ofVirtual().start(() -> {
            while (!listener.isClosed()) {
                try (Socket socket = listener.accept()) {
                    connections.incrementAndGet();
                    readRequestHead(socket.getInputStream());
                    OutputStream out = socket.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: " + PNG.length + "\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    out.write(PNG);
                    out.flush();
                } catch (IOException e) {
                    // the listener was closed at the end of the test
                }
            }
        });
        ImageFetcher fetcher = fetcher(Duration.ofSeconds(5), FetchConcurrency.DEFAULT);
        String base = "http://127.0.0.1:" + listener.getLocalPort();
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(PNG, fetcher.fetch(base + "/cat.png", "item-" + i));
        }
        assertEquals(3, connections.get());
    }

    @Test
    void aHostThatNeverAnswersCostsOneRoundOfTimeoutsAndDelaysNoOtherHost() throws Exception {
        ServerSocket dead = new ServerSocket(0, 256, java.net.InetAddress.getLoopbackAddress());
        closing.add(dead);
        List<Socket> held = new CopyOnWriteArrayList<>();
        Thread.ofVirtual().start(() -> {
            while (!dead.isClosed()) {
                try {
                    held.add(dead.accept()); // accepted, read by no one, never answered
                } catch (IOException e) {
                    // closed
                }
            }
        });
        closing.add(() -> held.forEach(s -> {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }));
        String good = server(0, ConcurrentHashMap.newKeySet());
        Duration timeout = Duration.ofSeconds(1);
        FetchConcurrency concurrency = new FetchConcurrency(64, 4, 3, Duration.ofSeconds(60));
        ImageFetcher fetcher = fetcher(timeout, concurrency);

        int deadEvents = 40;
        long started = System.nanoTime();
        List<String> deadOutcomes = new CopyOnWriteArrayList<>();
        AtomicInteger goodFetched = new AtomicInteger();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < deadEvents; i++) {
                int n = i;
                all.add(threads.submit(() -> {
                    InvalidEventException e = assertThrows(InvalidEventException.class,
                            () -> fetcher.fetch("http://127.0.0.1:" + dead.getLocalPort() + "/x-" + n + ".png", "dead-" + n));
                    deadOutcomes.add(e.code() + " " + e.getMessage());
                }));
                all.add(threads.submit(() -> {
                    assertArrayEquals(PNG, fetcher.fetch(good + "/ok-" + n + ".png", "good-" + n));
                    goodFetched.incrementAndGet();
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        assertEquals(deadEvents, goodFetched.get(), "every fetch from the good host succeeded");
        assertEquals(deadEvents, deadOutcomes.size());
        assertTrue(deadOutcomes.stream().allMatch(o -> o.startsWith("FETCH_FAILED")), deadOutcomes.toString());
        // The first round of slots, plus those that got a slot before enough failures had opened the circuit.
        int firstRound = concurrency.maxPerHost() + concurrency.circuitFailures() - 1;
        assertTrue(held.size() <= firstRound, "only the first round reached the dead host: " + held.size()
                + " connections for " + deadEvents + " events");
        assertTrue(deadOutcomes.stream().allMatch(o -> o.contains("timeout") || o.contains("timed out")
                || o.contains("fetch.circuit.failures")), "each failure says why: " + deadOutcomes);
        InvalidEventException later = assertThrows(InvalidEventException.class,
                () -> fetcher.fetch("http://127.0.0.1:" + dead.getLocalPort() + "/later.png", "later"));
        assertTrue(later.getMessage().contains("fetch.circuit.failures"), "with the circuit open, a later event fails at once: "
                + later.getMessage());
        assertTrue(held.size() <= firstRound, "and does not connect");
        // Serially, or without the breaker, the 40 events would take 40 or 10 timeouts; generous bound: 3.
        assertTrue(seconds < 3 * timeout.toSeconds(), "took " + seconds + " s for " + deadEvents + " dead-host events");
    }

    @Test
    void aSlowHostsQueueEndsWithinTheTimeoutWhileOtherHostsGoOn() throws Exception {
        Set<String> slowClients = ConcurrentHashMap.newKeySet();
        String slow = server(400, slowClients);
        String good = server(0, ConcurrentHashMap.newKeySet());
        Duration timeout = Duration.ofSeconds(1);
        ImageFetcher fetcher = fetcher(timeout, new FetchConcurrency(64, 2, 5, Duration.ofSeconds(60)));
        List<String> slowOutcomes = new CopyOnWriteArrayList<>();
        AtomicInteger goodFetched = new AtomicInteger();
        long started = System.nanoTime();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int n = i;
                all.add(threads.submit(() -> {
                    try {
                        fetcher.fetch(slow + "/s-" + n + ".png", "slow-" + n);
                        slowOutcomes.add("ok");
                    } catch (InvalidEventException e) {
                        slowOutcomes.add(e.getMessage());
                    }
                }));
                all.add(threads.submit(() -> {
                    fetcher.fetch(good + "/g-" + n + ".png", "good-" + n);
                    goodFetched.incrementAndGet();
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        assertEquals(20, goodFetched.get(), "the slow host's queue held up no other host");
        long served = slowOutcomes.stream().filter("ok"::equals).count();
        assertTrue(served >= 2 && served < 20, "the slow host served what fit in the timeout: " + slowOutcomes);
        assertTrue(slowOutcomes.stream().filter(o -> !o.equals("ok")).allMatch(o -> o.contains("fetch.max.per.host")
                        || o.contains("timed out") || o.contains("timeout") || o.contains("fetch.circuit.failures")),
                "the others waited their turn and gave up at the timeout (and once the timeouts piled up, the circuit opened): "
                        + slowOutcomes);
        // 20 fetches two at a time at 0.4 s would take 4 s; each gives up at the timeout instead. Generous bound: 3.
        assertTrue(seconds < 3 * timeout.toSeconds(), "took " + seconds + " s");
    }

    static void readRequestHead(InputStream in) throws IOException {
        int lastFour = 0;
        while (lastFour != 0x0D0A0D0A) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("request ended early");
            }
            lastFour = (lastFour << 8) | b;
        }
    }
}
