package io.clipstream.http;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTTP server of an embedder-only instance: probes and metrics, nothing that needs the index. */
class OperationalHttpTest {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private HttpApi api;

    @AfterEach
    void stop() throws Exception {
        if (api != null) {
            api.close();
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesHealthReadinessAndMetricsOnly() throws Exception {
        Map<String, String> states = new LinkedHashMap<>(Map.of("embedder", "REBALANCING"));
        api = HttpApi.operational(new HttpSettings("127.0.0.1", 0, 1 << 20, Optional.empty(), Optional.empty(), true),
                () -> states, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        api.start();

        assertEquals(200, get("/health/live").statusCode());
        HttpResponse<String> notReady = get("/health/ready");
        assertEquals(503, notReady.statusCode());
        assertTrue(notReady.body().contains("REBALANCING"), notReady.body());
        states.put("embedder", "RUNNING");
        assertEquals(200, get("/health/ready").statusCode());
        HttpResponse<String> metrics = get("/metrics");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));

        for (String path : new String[]{"/", "/v1/search", "/v1/items/a", "/openapi.json", "/internal/v1/knn"}) {
            assertEquals(404, get(path).statusCode(), path + " is not served without the index");
        }
    }
}
