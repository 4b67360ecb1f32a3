package io.clipstream.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.clipstream.schema.VectorRecord;
import io.clipstream.search.QueryLimits;
import io.clipstream.search.SearchBackend;
import io.clipstream.search.SearchQuery;
import io.clipstream.search.SearchResult;
import io.clipstream.testing.Await;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the production server promises beyond the routes: a bounded number of searches at once with
 * a bounded queue, 503 with Retry-After beyond it while everything else is still served, keep-alive,
 * and connections closed for headers or bodies that do not arrive in time.
 */
class HttpServerLimitsTest {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Semaphore entered = new Semaphore(0);
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpApi api;

    /** Each search waits until the test releases it, so the test decides how many are in flight. */
    private final SearchBackend blocking = new SearchBackend() {
        @Override
        public SearchResult search(SearchQuery query) {
            entered.release();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new SearchResult(List.of(), 0, List.of());
        }

        @Override
        public Optional<VectorRecord> item(String id) {
            return Optional.empty();
        }
    };

    @AfterEach
    void stop() {
        release.countDown();
        if (api != null) {
            api.close();
        }
    }

    private void start(HttpLimits limits) throws IOException {
        HttpSettings settings = new HttpSettings("127.0.0.1", 0, 1 << 20).withLimits(limits);
        api = new HttpApi(settings, blocking, null, null, () -> Map.of("index", "RUNNING"), metrics, QueryLimits.DEFAULT);
        api.start();
    }

    private static HttpLimits limits(int concurrency, int queue, Duration queueTimeout, Duration headerTimeout,
                                     Duration requestTimeout) {
        return new HttpLimits(concurrency, queue, queueTimeout, 7, 100, Duration.ofSeconds(30), headerTimeout, requestTimeout);
    }

    private CompletableFuture<HttpResponse<String>> search() {
        return CLIENT.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/v1/search"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"a cat\"}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private double queued() {
        return metrics.get("clipstream.http.search.queued").gauge().value();
    }

    @Test
    void searchesBeyondTheTurnsAndTheQueueAreRefusedWithRetryAfterWhileTheRestIsServed() throws Exception {
        start(limits(1, 1, Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(30)));
        CompletableFuture<HttpResponse<String>> first = search();
        assertTrue(entered.tryAcquire(30, TimeUnit.SECONDS), "the first search runs");
        CompletableFuture<HttpResponse<String>> second = search();
        Await.until(Duration.ofSeconds(30), "the second search to wait for a turn", () -> queued() == 1);

        HttpResponse<String> third = search().get(30, TimeUnit.SECONDS);
        assertEquals(503, third.statusCode(), third.body());
        assertEquals("7", third.headers().firstValue("Retry-After").orElse(""));
        assertEquals("application/json", third.headers().firstValue("Content-Type").orElse(""));
        JsonNode error = JsonCodec.MAPPER.readTree(third.body());
        assertEquals(503, error.get("status").asInt());
        assertTrue(error.get("error").asText().contains("http.search.queue.size"), third.body());

        HttpResponse<String> spelled = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/v1/%73earch"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"a cat\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(503, spelled.statusCode(), "another spelling of the search path takes a turn too: " + spelled.body());

        assertEquals(200, get("/health/ready").statusCode(), "health is not a search: it never waits for a turn");
        assertEquals(200, get("/metrics").statusCode());

        release.countDown();
        assertEquals(200, first.get(30, TimeUnit.SECONDS).statusCode());
        assertEquals(200, second.get(30, TimeUnit.SECONDS).statusCode(), "a queued search runs when a turn frees");
        assertEquals(2.0, metrics.get("clipstream.http.refused").tag("reason", "queue_full").counter().count());
    }

    @Test
    void aSearchThatWaitsTooLongForATurnIsRefused() throws Exception {
        start(limits(1, 4, Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofSeconds(30)));
        CompletableFuture<HttpResponse<String>> first = search();
        assertTrue(entered.tryAcquire(30, TimeUnit.SECONDS));
        HttpResponse<String> waited = search().get(30, TimeUnit.SECONDS);
        assertEquals(503, waited.statusCode(), waited.body());
        assertEquals("7", waited.headers().firstValue("Retry-After").orElse(""));
        assertTrue(waited.body().contains("http.search.queue.timeout.ms"), waited.body());
        release.countDown();
        assertEquals(200, first.get(30, TimeUnit.SECONDS).statusCode());
    }

    @Test
    void connectionsAreKeptAliveBetweenRequests() throws Exception {
        start(HttpLimits.DEFAULT);
        try (Socket socket = new Socket("127.0.0.1", api.port())) {
            socket.setSoTimeout(30_000);
            for (int i = 0; i < 3; i++) {
                write(socket, "GET /health/live HTTP/1.1\r\nHost: test\r\n\r\n");
                String response = readResponse(socket.getInputStream());
                assertTrue(response.startsWith("HTTP/1.1 200"), response);
            }
        }
    }

    @Test
    void aHeaderSentByteByByteIsCutOffWhileOthersAreServed() throws Exception {
        start(limits(4, 4, Duration.ofSeconds(1), Duration.ofMillis(300), Duration.ofSeconds(30)));
        byte[] request = "GET /health/live HTTP/1.1\r\nHost: test\r\nX-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        try (Socket slow = new Socket("127.0.0.1", api.port())) {
            slow.setSoTimeout(30_000);
            boolean cut = false;
            for (int i = 0; i < request.length && !cut; i++) {
                try {
                    slow.getOutputStream().write(request[i]);
                    slow.getOutputStream().flush();
                } catch (IOException e) {
                    cut = true; // the server closed the connection
                }
                assertEquals(200, get("/health/live").statusCode(), "other clients are served meanwhile");
                Thread.sleep(50); // the slow client's pace: one byte per 50 ms (workload, not synchronisation)
                cut = cut || closedByServer(slow);
            }
            assertTrue(cut, "a header trickling in for " + request.length * 50 + " ms is cut off with a 300 ms header timeout");
        }
    }

    @Test
    void aBodyThatDoesNotArriveInTimeIsAnswered408() throws Exception {
        start(limits(4, 4, Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMillis(300)));
        try (Socket socket = new Socket("127.0.0.1", api.port())) {
            socket.setSoTimeout(30_000);
            write(socket, "POST /v1/search HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"text\":");
            String response = readResponse(socket.getInputStream());
            assertTrue(response.startsWith("HTTP/1.1 408"), response);
            assertTrue(response.contains("http.request.timeout.ms"), response);
        }
    }

    private static void write(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Whether the server has closed its side: a read with a short timeout sees end of stream. */
    private static boolean closedByServer(Socket socket) throws IOException {
        int timeout = socket.getSoTimeout();
        socket.setSoTimeout(1);
        try {
            return socket.getInputStream().read() < 0;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(timeout);
            }
        }
    }

    /** One HTTP/1.1 response with a Content-Length body, as text. */
    private static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return head.toString(StandardCharsets.US_ASCII);
            }
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.US_ASCII);
        int length = 0;
        for (String line : headers.split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return headers + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
