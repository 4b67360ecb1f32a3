package io.clipstream.http;

import com.sun.net.httpserver.HttpServer;
import io.clipstream.search.QueryLimits;
import io.clipstream.store.KnnQuery;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bearer tokens on the HTTP API. The search service and stores are absent (null): every request
 * here is either refused before a handler runs or answered without them (health, metrics, a 400 on
 * a malformed body), which is exactly what shows the token check passed.
 */
class HttpAuthTest {

    private static final String API = "api-token-0123456789abcdef";
    private static final String INTERNAL = "internal-token-fedcba9876543210";
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private HttpApi api;

    private HttpApi start(boolean healthOpen) throws Exception {
        HttpSettings settings = new HttpSettings("127.0.0.1", 0, 1 << 20, Optional.of(BearerToken.of("http.auth.token", API)),
                Optional.of(BearerToken.of("http.internal.token", INTERNAL)), healthOpen);
        api = new HttpApi(settings, null, null, null, () -> Map.of("index", "RUNNING"),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), QueryLimits.DEFAULT);
        api.start();
        return api;
    }

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    private HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theRestApiNeedsItsTokenAndSaysSo() throws Exception {
        start(true);
        HttpResponse<String> none = call("POST", "/v1/search", null, "{\"text\":\"cat\"}");
        assertEquals(401, none.statusCode());
        assertTrue(none.body().contains("needs a bearer token") && none.body().contains("http.auth.token"), none.body());
        assertEquals("Bearer realm=\"clipstream\"", none.headers().firstValue("WWW-Authenticate").orElse(""));

        HttpResponse<String> wrong = call("POST", "/v1/search", API + "x", "{\"text\":\"cat\"}");
        assertEquals(401, wrong.statusCode());
        assertTrue(wrong.body().contains("wrong"), wrong.body());
        assertFalse(wrong.body().contains(API), "the reply never echoes a token");
        assertEquals(401, call("POST", "/v1/search", INTERNAL, "{}").statusCode(), "the internal token is not the API token");
        assertEquals(401, call("GET", "/v1/items/a", null, null).statusCode());
        assertEquals(401, call("GET", "/metrics", null, null).statusCode());
        assertEquals(401, call("GET", "/v1/items/a/thumbnail", null, null).statusCode());

        // Past the check: a malformed body is judged by the handler (400), metrics are served.
        HttpResponse<String> right = call("POST", "/v1/search", API, "{\"bogus\":1}");
        assertEquals(400, right.statusCode(), right.body());
        assertEquals(200, call("GET", "/metrics", API, null).statusCode());
    }

    @Test
    void thePeerEndpointNeedsTheInternalToken() throws Exception {
        start(true);
        assertEquals(401, call("POST", "/internal/v1/knn", null, "{}").statusCode());
        assertEquals(401, call("POST", "/internal/v1/knn", API, "{}").statusCode(), "the API token does not open the peer endpoint");
        assertEquals(401, call("GET", "/internal/v1/thumbnails?partition=0&id=a", API, null).statusCode());
        HttpResponse<String> refused = call("GET", "/internal/v1/items?store=s&partition=0&id=a", null, null);
        assertEquals(401, refused.statusCode());
        assertTrue(refused.body().contains("http.internal.token"), refused.body());
        HttpResponse<String> allowed = call("POST", "/internal/v1/knn", INTERNAL, "{\"store\":\"s\"}");
        assertEquals(400, allowed.statusCode(), allowed.body());
    }

    @Test
    void thePageIsOpenSinceABrowserCannotSendATokenWhenItNavigates() throws Exception {
        start(true);
        for (String path : List.of("/", "/static/app.js", "/static/app.css")) {
            HttpResponse<String> page = call("GET", path, null, null);
            assertEquals(200, page.statusCode(), path);
            assertFalse(page.body().contains(API), "the page never carries a token");
        }
        assertTrue(call("GET", "/", null, null).headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(call("GET", "/static/app.js", null, null).headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
        assertEquals(404, call("GET", "/static/../logback.xml", null, null).statusCode(), "only the page's own files");
        assertEquals(404, call("GET", "/web/index.html", null, null).statusCode());
        assertEquals(405, call("POST", "/", null, "x").statusCode());
    }

    @Test
    void untilSearchWorksThePageSaysItIsStartingAndRefreshes() throws Exception {
        HttpSettings settings = new HttpSettings("127.0.0.1", 0, 1 << 20, Optional.of(BearerToken.of("http.auth.token", API)),
                Optional.empty(), false);
        api = new HttpApi(settings, null, null, null, () -> Map.of("index", "REBALANCING"),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), QueryLimits.DEFAULT);
        api.start();
        HttpResponse<String> page = call("GET", "/", null, null);
        assertEquals(503, page.statusCode());
        assertTrue(page.body().contains("starting") && page.body().contains("refresh"), page.body());
        assertFalse(page.body().contains("REBALANCING"), "states stay behind the token when health is not open");
        assertEquals(200, call("GET", "/static/app.js", null, null).statusCode());
    }

    @Test
    void healthStaysOpenUnlessConfiguredOtherwise() throws Exception {
        start(true);
        assertEquals(200, call("GET", "/health/live", null, null).statusCode());
        assertEquals(200, call("GET", "/health/ready", null, null).statusCode());
        api.close();
        start(false);
        assertEquals(401, call("GET", "/health/live", null, null).statusCode());
        assertEquals(200, call("GET", "/health/ready", API, null).statusCode());
    }

    @Test
    void thePeerClientPresentsTheInternalToken() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        HttpServer peer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        peer.createContext("/", exchange -> {
            seen.add(exchange.getRequestHeaders().getFirst("Authorization"));
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
        });
        peer.start();
        try {
            HostInfo host = new HostInfo("127.0.0.1", peer.getAddress().getPort());
            new HttpPeerClient(Duration.ofSeconds(5), Optional.of(BearerToken.of("http.internal.token", INTERNAL)))
                    .knn(host, "image-vectors", Set.of(0, 1), KnnQuery.of(new float[]{1f, 0f}, 3));
            new HttpPeerClient(Duration.ofSeconds(5), Optional.empty()).item(host, "image-vectors", 0, "a");
            assertEquals(2, seen.size());
            assertEquals("Bearer " + INTERNAL, seen.get(0));
            assertEquals(null, seen.get(1), "no token configured, none sent");
        } finally {
            peer.stop(0);
        }
    }

    @Test
    void tokensAreComparedWholeAndNeverPrinted() {
        BearerToken token = BearerToken.of("http.auth.token", API);
        assertTrue(token.matches("Bearer " + API));
        assertTrue(token.matches("bearer " + API));
        assertFalse(token.matches("Bearer " + API.substring(1)));
        assertFalse(token.matches(API));
        assertFalse(token.matches(null));
        assertFalse(token.toString().contains(API));
        IllegalArgumentException shortToken = assertThrows(IllegalArgumentException.class, () -> BearerToken.of("http.auth.token", "abc"));
        assertTrue(shortToken.getMessage().contains("http.auth.token") && !shortToken.getMessage().contains("abc"));
    }
}
