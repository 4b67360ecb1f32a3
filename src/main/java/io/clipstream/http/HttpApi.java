package io.clipstream.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.clipstream.schema.VectorRecord;
import io.clipstream.search.LocalStoreQueries;
import io.clipstream.search.QueryLimits;
import io.clipstream.search.SearchException;
import io.clipstream.search.SearchQuery;
import io.clipstream.search.SearchResult;
import io.clipstream.search.SearchService;
import io.clipstream.store.KnnQuery;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The service's HTTP surface: {@code POST /v1/search}, {@code GET /v1/items/{id}}, health and
 * readiness, Prometheus metrics, the web page, and the internal endpoint peers use for their
 * share of a search.
 */
public final class HttpApi implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    private static final Set<String> SEARCH_FIELDS = Set.of("text", "imageBase64", "imageUrl", "itemId", "target", "k", "filters", "minScore");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpSettings settings;
    private final SearchService search;
    private final LocalStoreQueries local;
    private final Readiness readiness;
    private final PrometheusMeterRegistry metrics;
    private final QueryLimits limits;
    private final Timer searchTimer;
    private final Counter searchErrors;

    public HttpApi(HttpSettings settings, SearchService search, LocalStoreQueries local, Readiness readiness,
                   PrometheusMeterRegistry metrics, QueryLimits limits) throws IOException {
        this.settings = settings;
        this.search = search;
        this.local = local;
        this.readiness = readiness;
        this.metrics = metrics;
        this.limits = limits;
        this.searchTimer = Timer.builder("clipstream.search").description("REST searches").publishPercentileHistogram()
                .register(metrics);
        this.searchErrors = Counter.builder("clipstream.search.errors").description("REST searches answered with an error")
                .register(metrics);
        server = HttpServer.create(new InetSocketAddress(settings.bindHost(), settings.port()), 128);
        server.setExecutor(executor);
        server.createContext("/v1/search", guarded(Access.API, this::search));
        server.createContext("/v1/items/", guarded(Access.API, this::item));
        server.createContext("/health/live", guarded(Access.HEALTH, exchange -> Exchanges.json(exchange, 200,
                JsonCodec.MAPPER.createObjectNode().put("status", "UP"))));
        server.createContext("/health/ready", guarded(Access.HEALTH, this::ready));
        server.createContext("/metrics", guarded(Access.API, exchange -> Exchanges.send(exchange, 200,
                "text/plain; version=0.0.4; charset=utf-8", metrics.scrape().getBytes(StandardCharsets.UTF_8))));
        server.createContext("/internal/v1/knn", guarded(Access.INTERNAL, this::internalKnn));
        server.createContext("/internal/v1/items", guarded(Access.INTERNAL, this::internalItem));
        server.createContext("/", guarded(Access.API, this::page));
    }

    /** Adds a handler for an API path (under the API token), such as a feature's own endpoint. */
    public void route(String path, com.sun.net.httpserver.HttpHandler handler) {
        server.createContext(path, guarded(Access.API, handler::handle));
    }

    /** Which token, if any, a path requires. */
    private enum Access { HEALTH, API, INTERNAL }

    public void start() {
        server.start();
        LOG.info("HTTP API listening on {}:{}", settings.bindHost(), port());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    private HttpHandler guarded(Access access, Handler handler) {
        return exchange -> {
            try {
                authenticate(access, exchange);
                handler.handle(exchange);
            } catch (Exchanges.HttpError e) {
                Exchanges.error(exchange, e.status, e.getMessage());
            } catch (SearchException e) {
                Exchanges.error(exchange, e.status(), e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI().getPath(), e);
                Exchanges.error(exchange, 500, "internal error: " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            } finally {
                exchange.close();
            }
        };
    }

    private void authenticate(Access access, HttpExchange exchange) {
        Optional<BearerToken> required = switch (access) {
            case HEALTH -> settings.healthOpen() ? Optional.empty() : settings.apiToken();
            case API -> settings.apiToken();
            case INTERNAL -> settings.internalToken();
        };
        if (required.isEmpty() || required.get().matches(exchange.getRequestHeaders().getFirst("Authorization"))) {
            return;
        }
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"clipstream\"");
        boolean presented = exchange.getRequestHeaders().getFirst("Authorization") != null;
        String setting = access == Access.INTERNAL ? "http.internal.token" : "http.auth.token";
        throw new Exchanges.HttpError(401, (presented ? "the bearer token is wrong" : "this endpoint needs a bearer token")
                + ": send 'Authorization: Bearer <token>' with the token configured as " + setting);
    }

    private void search(HttpExchange exchange) throws IOException {
        Exchanges.requireMethod(exchange, "POST");
        Timer.Sample sample = Timer.start(metrics);
        try {
            SearchQuery query = parseSearch(Exchanges.jsonBody(exchange, settings.maxBodyBytes()));
            SearchResult result = search.search(query);
            Exchanges.json(exchange, 200, JsonCodec.searchResult(result));
        } catch (RuntimeException e) {
            searchErrors.increment();
            throw e;
        } finally {
            sample.stop(searchTimer);
        }
    }

    SearchQuery parseSearch(JsonNode body) {
        for (var names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!SEARCH_FIELDS.contains(name)) {
                throw SearchException.badRequest("unknown field '" + name + "'; fields are " + new java.util.TreeSet<>(SEARCH_FIELDS));
            }
        }
        byte[] image = null;
        String imageBase64 = text(body, "imageBase64");
        if (imageBase64 != null) {
            try {
                // Strict decoding (the MIME decoder skips bad characters and would hand on a damaged image);
                // line breaks are allowed because many tools wrap base64.
                image = Base64.getDecoder().decode(stripDataUrl(imageBase64).replaceAll("\\s", ""));
            } catch (IllegalArgumentException e) {
                throw SearchException.badRequest("imageBase64 is not valid base64: " + e.getMessage());
            }
        }
        Integer k = null;
        if (body.hasNonNull("k")) {
            if (!body.get("k").canConvertToInt() || !body.get("k").isIntegralNumber()) {
                throw SearchException.badRequest("k must be an integer, got " + body.get("k"));
            }
            k = body.get("k").asInt();
        }
        Float minScore = null;
        if (body.hasNonNull("minScore")) {
            if (!body.get("minScore").isNumber()) {
                throw SearchException.badRequest("minScore must be a number, got " + body.get("minScore"));
            }
            minScore = (float) body.get("minScore").asDouble();
        }
        Map<String, String> filters = new LinkedHashMap<>();
        JsonNode filterNode = body.get("filters");
        if (filterNode != null && !filterNode.isNull()) {
            if (!filterNode.isObject()) {
                throw SearchException.badRequest("filters must be an object of string values, got " + filterNode);
            }
            filterNode.properties().forEach(entry -> {
                if (!entry.getValue().isValueNode() || entry.getValue().isNull()) {
                    throw SearchException.badRequest("filter '" + entry.getKey() + "' must be a string, got " + entry.getValue());
                }
                filters.put(entry.getKey(), entry.getValue().asText());
            });
        }
        return SearchQuery.validated(text(body, "text"), image, text(body, "imageUrl"), text(body, "itemId"),
                SearchQuery.parseTarget(text(body, "target")), k, filters, minScore, limits);
    }

    private void item(HttpExchange exchange) throws IOException {
        Exchanges.requireMethod(exchange, "GET");
        String id = URLDecoder.decode(exchange.getRequestURI().getRawPath().substring("/v1/items/".length()), StandardCharsets.UTF_8);
        if (id.isBlank()) {
            throw new Exchanges.HttpError(400, "give an item id: GET /v1/items/{id}");
        }
        Optional<VectorRecord> item = search.item(id);
        if (item.isEmpty()) {
            throw new Exchanges.HttpError(404, "item '" + id + "' is not indexed");
        }
        Exchanges.json(exchange, 200, JsonCodec.item(item.get(), false));
    }

    private void ready(HttpExchange exchange) throws IOException {
        Map<String, String> states = readiness.states();
        ObjectNode body = JsonCodec.MAPPER.createObjectNode();
        boolean ready = readiness.ready();
        body.put("status", ready ? "UP" : "DOWN");
        body.set("applications", JsonCodec.MAPPER.valueToTree(states));
        Exchanges.json(exchange, ready ? 200 : 503, body);
    }

    private void internalKnn(HttpExchange exchange) throws IOException {
        Exchanges.requireMethod(exchange, "POST");
        JsonNode body = Exchanges.jsonBody(exchange, settings.maxBodyBytes());
        Set<Integer> partitions = new HashSet<>();
        body.path("partitions").forEach(p -> partitions.add(p.asInt()));
        KnnQuery query;
        try {
            query = JsonCodec.knnQuery(body);
        } catch (RuntimeException e) {
            throw new Exchanges.HttpError(400, "malformed knn request: " + e.getMessage());
        }
        Exchanges.json(exchange, 200, JsonCodec.partialResult(local.knn(body.path("store").asText(), partitions, query)));
    }

    private void internalItem(HttpExchange exchange) throws IOException {
        Exchanges.requireMethod(exchange, "GET");
        Map<String, String> parameters = Exchanges.queryParameters(exchange);
        Optional<VectorRecord> item = local.item(parameters.getOrDefault("store", ""),
                Integer.parseInt(parameters.getOrDefault("partition", "-1")), parameters.getOrDefault("id", ""));
        if (item.isEmpty()) {
            throw new Exchanges.HttpError(404, "not held here");
        }
        Exchanges.json(exchange, 200, JsonCodec.item(item.get(), true));
    }

    private void page(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestURI().getPath().equals("/")) {
            throw new Exchanges.HttpError(404, "no such path: " + exchange.getRequestURI().getPath());
        }
        if (!readiness.ready()) {
            // The page answers 200 only once search works; until then it says why and refreshes itself.
            String states = JsonCodec.MAPPER.writeValueAsString(readiness.states());
            Exchanges.send(exchange, 503, "text/html; charset=utf-8", ("<!doctype html><meta http-equiv=refresh content=2>"
                    + "<title>clipstream starting</title><p>clipstream is starting: "
                    + states.replace("<", "&lt;") + "</p>").getBytes(StandardCharsets.UTF_8));
            return;
        }
        try (InputStream page = HttpApi.class.getResourceAsStream("/web/index.html")) {
            if (page == null) {
                throw new Exchanges.HttpError(500, "the web page is missing from the jar");
            }
            Exchanges.send(exchange, 200, "text/html; charset=utf-8", page.readAllBytes());
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw SearchException.badRequest(field + " must be a string, got " + value);
        }
        return value.asText();
    }

    private static String stripDataUrl(String base64) {
        int comma = base64.indexOf(',');
        return base64.startsWith("data:") && comma > 0 ? base64.substring(comma + 1) : base64;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
