package io.clipstream.fetch;

import com.sun.net.httpserver.HttpServer;
import io.clipstream.common.InvalidEventException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fetcher against a real HTTP server on 127.0.0.1, under strict and relaxed policies. */
class ImageFetcherTest {

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    private static final FetchLimits LIMITS = new FetchLimits(1024, Duration.ofSeconds(5), 3);

    private HttpServer server;
    private String base;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> hostHeaders = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestURI().toString());
            hostHeaders.add(exchange.getRequestHeaders().getFirst("Host"));
            String path = exchange.getRequestURI().getPath();
            byte[] body = PNG;
            String type = "image/png";
            int status = 200;
            if (path.startsWith("/redirect")) {
                exchange.getResponseHeaders().set("Location", exchange.getRequestURI().getQuery());
                status = 302;
                body = null;
            } else if (path.equals("/page.html")) {
                type = "text/html";
                body = "<html></html>".getBytes();
            } else if (path.equals("/lying.png")) {
                body = "%PDF-1.4 not a png".getBytes();
            } else if (path.equals("/huge.png")) {
                body = new byte[4096];
                System.arraycopy(PNG, 0, body, 0, PNG.length);
            }
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(status, body == null ? -1 : body.length);
            if (body != null) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static InvalidEventException refused(ImageFetcher fetcher, String url) {
        return assertThrows(InvalidEventException.class, () -> fetcher.fetch(url, "item-1"), url);
    }

    @Test
    void byDefaultLoopbackIsRefusedBeforeAnyConnection() {
        InvalidEventException e = refused(new ImageFetcher(LIMITS), base + "/cat.png");
        assertEquals("FETCH_REFUSED", e.code());
        assertTrue(e.getMessage().startsWith("item-1: image URL " + base + "/cat.png refused"), e.getMessage());
        assertTrue(e.getMessage().contains("loopback"), e.getMessage());
        assertEquals(List.of(), requests, "nothing reached the server");
    }

    @Test
    void withPrivateAllowedTheImageIsFetchedAndNonImagesAreRefused() {
        ImageFetcher fetcher = new ImageFetcher(LIMITS, new UrlPolicy(UrlPolicySettings.ALLOW_PRIVATE));
        assertArrayEquals(PNG, fetcher.fetch(base + "/cat.png?size=1", "item-1"));
        assertEquals("/cat.png?size=1", requests.get(0));
        assertEquals("127.0.0.1:" + server.getAddress().getPort(), hostHeaders.get(0));
        assertArrayEquals(PNG, fetcher.fetch(base + "/redirect?/cat.png", "item-1"));

        InvalidEventException html = refused(fetcher, base + "/page.html");
        assertEquals("UNSUPPORTED_FORMAT", html.code());
        assertTrue(html.getMessage().contains("Content-Type 'text/html'"), html.getMessage());
        InvalidEventException pdf = refused(fetcher, base + "/lying.png");
        assertEquals("UNSUPPORTED_FORMAT", pdf.code());
        assertTrue(pdf.getMessage().contains("PDF"), pdf.getMessage());
        InvalidEventException huge = refused(fetcher, base + "/huge.png");
        assertEquals("FETCH_FAILED", huge.code());
        assertTrue(huge.getMessage().contains("fetch.max.bytes"), huge.getMessage());
    }

    @Test
    void redirectsToNonPublicAddressesAreRefusedAtEveryHop() {
        // The first hop is allowed by listing exactly 127.0.0.1; every redirect target is checked anew.
        HostResolver dns = UrlPolicyTest.fake(java.util.Map.of("internal.test", "10.0.0.8", "localhost", "127.0.0.1"));
        ImageFetcher fetcher = new ImageFetcher(LIMITS, new UrlPolicy(new UrlPolicySettings(false, List.of("127.0.0.1/32")), dns));
        assertArrayEquals(PNG, fetcher.fetch(base + "/redirect?" + base + "/cat.png", "item-1"));
        for (String target : List.of("http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/x.png", "http://2130706433/",
                "http://[::1]/", "http://internal.test/x.png", "http://metadata.google.internal/", "file:///etc/passwd")) {
            int before = requests.size();
            InvalidEventException e = refused(fetcher, base + "/redirect?" + target);
            assertEquals("FETCH_REFUSED", e.code(), target);
            assertTrue(e.getMessage().contains(target.replace("file:///", "file:/")) || e.getMessage().contains(target), e.getMessage());
            assertEquals(before + 1, requests.size(), "only the first hop reached the server for " + target);
        }
    }

    @Test
    void theConnectionGoesToTheCheckedAddressAndEachHopIsResolvedAndCheckedAgain() throws Exception {
        // A rebinding name: the first answer is the (allowed) server, every later one a private address.
        AtomicInteger lookups = new AtomicInteger();
        HostResolver rebinding = host -> List.of(InetAddress.getByName(lookups.getAndIncrement() == 0 ? "127.0.0.1" : "10.9.9.9"));
        ImageFetcher fetcher = new ImageFetcher(LIMITS,
                new UrlPolicy(new UrlPolicySettings(false, List.of("127.0.0.0/8")), rebinding));
        String named = "http://images.test:" + server.getAddress().getPort();

        assertArrayEquals(PNG, fetcher.fetch(named + "/cat.png", "item-1"));
        assertEquals(1, lookups.get(), "resolved once: the connection used the checked address, not a second lookup");
        assertEquals("images.test:" + server.getAddress().getPort(), hostHeaders.get(0), "the Host header keeps the name");

        lookups.set(0);
        InvalidEventException e = refused(fetcher, named + "/redirect?" + named + "/cat.png");
        assertEquals("FETCH_REFUSED", e.code());
        assertTrue(e.getMessage().contains("10.9.9.9"), e.getMessage());
    }

    @Test
    void tooManyRedirectsFail() {
        ImageFetcher fetcher = new ImageFetcher(new FetchLimits(1024, Duration.ofSeconds(5), 1),
                new UrlPolicy(UrlPolicySettings.ALLOW_PRIVATE));
        String twice = base + "/redirect?" + base + "/redirect?/cat.png";
        InvalidEventException e = refused(fetcher, twice);
        assertTrue(e.getMessage().contains("fetch.max.redirects"), e.getMessage());
    }

    @Test
    void aHostThatNeverAnswersFailsWithTheTimeoutAndItsSettingNamed() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ImageFetcher fetcher = new ImageFetcher(new FetchLimits(1024, Duration.ofMillis(300), 1),
                    new UrlPolicy(UrlPolicySettings.ALLOW_PRIVATE));
            // Connected by the backlog, accepted by no one: the request is never read.
            InvalidEventException e = refused(fetcher, "http://127.0.0.1:" + silent.getLocalPort() + "/cat.png");
            assertEquals("FETCH_FAILED", e.code());
            assertTrue(e.getMessage().contains("within the fetch timeout of 300 ms, fetch.timeout.ms"), e.getMessage());
            assertTrue(e.getMessage().contains("SocketTimeoutException"), "the cause stays visible: " + e.getMessage());
        }
    }
}
