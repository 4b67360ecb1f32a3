package io.clipstream.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark's view of clipstream's REST API: one client, one keep-alive HTTP/1.1 connection
 * reused for every request (HTTP/2 would first try an upgrade the server does not speak).
 */
final class BenchRestClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /**
     * A search answer, reduced to what the benchmark checks and records; {@code elapsedNanos} is the
     * request as the client saw it, from sending to the whole body read, without parsing it.
     */
    record SearchReply(int hits, long tookMs, int missingPartitions, long elapsedNanos) {
    }

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;

    BenchRestClient(int port) {
        this.base = URI.create("http://localhost:" + port);
    }

    static String textSearch(String text, String target, int k) {
        ObjectNode body = JSON.createObjectNode().put("text", text).put("target", target).put("k", k);
        return body.toString();
    }

    /** POSTs a search; anything but 200 is an error, since the figures must come from real answers. */
    SearchReply search(String body) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/v1/search")).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long start = System.nanoTime();
        HttpResponse<String> response = send(request);
        long elapsed = System.nanoTime() - start;
        if (response.statusCode() != 200) {
            throw new IllegalStateException("search " + body + " answered " + response.statusCode() + ": " + response.body());
        }
        try {
            JsonNode reply = JSON.readTree(response.body());
            return new SearchReply(reply.path("hits").size(), reply.path("tookMs").asLong(-1), reply.path("missingPartitions").size(),
                    elapsed);
        } catch (IOException e) {
            throw new IllegalStateException("search " + body + " answered 200 with a body that is not JSON: " + e.getMessage(), e);
        }
    }

    /** The ids of a "more like this" search by item id, best first. */
    List<String> similarIds(String id, String target, int k) {
        String body = JSON.createObjectNode().put("itemId", id).put("target", target).put("k", k).toString();
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/v1/search")).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = send(request);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("search " + body + " answered " + response.statusCode() + ": " + response.body());
        }
        try {
            List<String> ids = new ArrayList<>();
            JSON.readTree(response.body()).path("hits").forEach(hit -> ids.add(hit.path("id").asText()));
            return ids;
        } catch (IOException e) {
            throw new IllegalStateException("search " + body + " answered 200 with a body that is not JSON: " + e.getMessage(), e);
        }
    }

    /** The status {@code GET /health/ready} answers, or -1 while nothing listens. */
    int readiness() {
        try {
            return client.send(HttpRequest.newBuilder(base.resolve("/health/ready")).timeout(REQUEST_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for /health/ready", e);
        }
    }

    /** Whether {@code GET /v1/items/{id}} finds the item, which it does once the index holds it. */
    boolean isIndexed(String id) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(
                base.resolve("/v1/items/" + URLEncoder.encode(id, StandardCharsets.UTF_8))).timeout(REQUEST_TIMEOUT).GET().build());
        return switch (response.statusCode()) {
            case 200 -> true;
            case 404 -> false;
            default -> throw new IllegalStateException("GET /v1/items/" + id + " answered " + response.statusCode() + ": "
                    + response.body());
        };
    }

    /** A gauge's value summed over its series on {@code /metrics} (Prometheus text), or NaN if absent. */
    double gauge(String name) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("/metrics")).timeout(REQUEST_TIMEOUT).GET().build());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET /metrics answered " + response.statusCode() + ": " + response.body());
        }
        double sum = Double.NaN;
        for (String line : response.body().split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                sum = Double.isNaN(sum) ? value : sum + value;
            }
        }
        return sum;
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed: " + e.getMessage()
                    + "; is the benchmark's clipstream still running?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + request.method() + " " + request.uri(), e);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
