package io.clipstream.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clipstream.explain.Explainer;
import io.clipstream.schema.Modality;
import io.clipstream.schema.VectorRecord;
import io.clipstream.search.ClusterItemImages;
import io.clipstream.search.PartitionQueries;
import io.clipstream.search.QueryLimits;
import io.clipstream.search.SearchException;
import io.clipstream.search.SearchQuery;
import io.clipstream.search.SearchResult;
import io.clipstream.search.SearchBackend;
import io.clipstream.store.KnnQuery;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The service's HTTP surface: {@code POST /v1/search}, {@code GET /v1/items/{id}} and its
 * {@code /thumbnail}, health and readiness, Prometheus metrics, the web page, and the internal endpoint peers use for their
 * share of a search. Carried by Jetty ({@link JettyTransport}): searches and heat maps take a bounded turn, beyond
 * which they are refused with 503 and Retry-After.
 */
public final class HttpApi implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    /** The fields of a search request; src/main/resources/api/openapi.json describes the same set (OpenApiTest). */
    static final Set<String> SEARCH_FIELDS = Set.of("text", "imageBase64", "imageUrl", "itemId", "target", "k", "filters", "minScore");

    static final String OPENAPI_RESOURCE = "/api/openapi.json";

    private final Routes server = new Routes();
    private final HttpTransport transport;
    private final HttpSettings settings;
    private final SearchBackend search;
    private final PartitionQueries local;
    private final ClusterItemImages images;
    private final Readiness readiness;
    private final PrometheusMeterRegistry metrics;
    private final QueryLimits limits;
    private final Timer searchTimer;
    private final Counter searchErrors;
    private volatile Explainer explainer;

    public HttpApi(HttpSettings settings, SearchBackend search, PartitionQueries local, ClusterItemImages images,
                   Readiness readiness, PrometheusMeterRegistry metrics, QueryLimits limits) throws IOException {
        this(settings, search, local, images, readiness, metrics, limits, true, JettyTransport::new);
    }

    /**
     * The API on another transport: {@code clipstream bench http} runs the same routes on the JDK's server
     * ({@link JdkTransport}) as the baseline of its overload figures.
     */
    public static HttpApi on(HttpTransport.Factory transport, HttpSettings settings, SearchBackend search, Readiness readiness,
                             PrometheusMeterRegistry metrics, QueryLimits limits) throws IOException {
        return new HttpApi(settings, search, null, null, readiness, metrics, limits, true, transport);
    }

    /** The JDK server as a transport, for the benchmark's baseline. */
    public static HttpTransport.Factory jdkServer() {
        return JdkTransport::new;
    }

    private HttpApi(HttpSettings settings, SearchBackend search, PartitionQueries local, ClusterItemImages images,
                    Readiness readiness, PrometheusMeterRegistry metrics, QueryLimits limits, boolean serving,
                    HttpTransport.Factory transport) throws IOException {
        this.settings = settings;
        this.search = search;
        this.local = local;
        this.images = images;
        this.readiness = readiness;
        this.metrics = metrics;
        this.limits = limits;
        this.searchTimer = Timer.builder("clipstream.search").description("REST searches").publishPercentileHistogram()
                .register(metrics);
        this.searchErrors = Counter.builder("clipstream.search.errors").description("REST searches answered with an error")
                .register(metrics);
        byte[] openApi = openApiDocument();
        this.transport = transport.create(settings, server, HttpApi::computes, metrics);
        server.createContext("/health/live", guarded(Access.HEALTH, exchange -> Exchanges.json(exchange, 200,
                JsonCodec.MAPPER.createObjectNode().put("status", "UP"))));
        server.createContext("/health/ready", guarded(Access.HEALTH, this::ready));
        server.createContext("/metrics", guarded(Access.API, exchange -> exchange.respond(200,
                "text/plain; version=0.0.4; charset=utf-8", metrics.scrape().getBytes(StandardCharsets.UTF_8))));
        if (!serving) {
            // An instance without the index (an embedder node) serves only what probes and Prometheus need.
            return;
        }
        server.createContext("/v1/search", guarded(Access.API, this::search));
        server.createContext("/v1/items/", guarded(Access.API, this::item));
        server.createContext("/v1/explain", guarded(Access.API, this::explainUpload));
        // Open like health (unless http.auth.health.open=false): it holds nothing secret, and client generators fetch it.
        server.createContext("/openapi.json", guarded(Access.HEALTH, exchange -> exchange.respond(200,
                "application/json", openApi)));
        server.createContext("/internal/v1/knn", guarded(Access.INTERNAL, this::internalKnn));
        server.createContext("/internal/v1/items", guarded(Access.INTERNAL, this::internalItem));
        server.createContext("/internal/v1/thumbnails", guarded(Access.INTERNAL, this::internalThumbnail));
        server.createContext("/", guarded(Access.PAGE, this::page));
    }

    /**
     * The HTTP server of an instance that does not index: {@code /health/live}, {@code /health/ready}
     * (its applications' states) and {@code /metrics}, so embedder nodes can be probed and scraped too.
     */
    public static HttpApi operational(HttpSettings settings, Readiness readiness, PrometheusMeterRegistry metrics)
            throws IOException {
        return new HttpApi(settings, null, null, null, readiness, metrics, QueryLimits.DEFAULT, false, JettyTransport::new);
    }

    /** Adds a handler for an API path (under the API token), such as a feature's own endpoint. */
    public void route(String path, Routes.Handler handler) {
        server.createContext(path, guarded(Access.API, handler));
    }

    /**
     * The requests that compute with the model and the index, and so take a bounded search turn: searches and heat
     * maps, by their decoded path and with the routes' prefix rule, so that no spelling of a search escapes its turn.
     * Everything else (health, metrics, the page, item lookups, peers' shares) is cheap and always served.
     */
    static boolean computes(String path) {
        return path.startsWith("/v1/search") || path.startsWith("/v1/explain")
                || (path.startsWith("/v1/items/") && path.endsWith(EXPLAIN));
    }

    /**
     * Which token, if any, a path requires. The page and its scripts are open: they hold no data, and
     * a browser cannot send a bearer token when it navigates, so the page asks the user for the token
     * and sends it with each API call itself.
     */
    private enum Access { PAGE, HEALTH, API, INTERNAL }

    public void start() throws IOException {
        transport.start();
        LOG.info("HTTP API listening on {}:{}", settings.bindHost(), port());
    }

    public int port() {
        return transport.port();
    }

    /** Enables {@code GET /v1/items/{id}/explain} and {@code POST /v1/explain} (match localisation, issue 8). */
    public void explainWith(Explainer explainer) {
        this.explainer = explainer;
    }

    private Routes.Handler guarded(Access access, Routes.Handler handler) {
        return exchange -> {
            try {
                authenticate(access, exchange);
                handler.handle(exchange);
            } catch (Exchanges.HttpError e) {
                Exchanges.error(exchange, e.status, e.getMessage());
            } catch (SearchException e) {
                Exchanges.error(exchange, e.status(), e.getMessage());
            } catch (Exchange.RequestTimeoutException e) {
                exchange.setResponseHeader("Connection", "close");
                Exchanges.error(exchange, 408, e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("{} {} failed", exchange.method(), exchange.path(), e);
                Exchanges.error(exchange, 500, "internal error: " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            }
        };
    }

    private void authenticate(Access access, Exchange exchange) {
        Optional<BearerToken> required = switch (access) {
            case PAGE -> Optional.empty();
            case HEALTH -> settings.healthOpen() ? Optional.empty() : settings.apiToken();
            case API -> settings.apiToken();
            case INTERNAL -> settings.internalToken();
        };
        if (required.isEmpty() || required.get().matches(exchange.requestHeader("Authorization"))) {
            return;
        }
        exchange.setResponseHeader("WWW-Authenticate", "Bearer realm=\"clipstream\"");
        boolean presented = exchange.requestHeader("Authorization") != null;
        String setting = access == Access.INTERNAL ? "http.internal.token" : "http.auth.token";
        throw new Exchanges.HttpError(401, (presented ? "the bearer token is wrong" : "this endpoint needs a bearer token")
                + ": send 'Authorization: Bearer <token>' with the token configured as " + setting);
    }

    private void search(Exchange exchange) throws IOException {
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
        byte[] image = imageBytes(body);
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

    private void item(Exchange exchange) throws IOException {
        if (exchange.rawPath().endsWith(EXPLAIN)) {
            explainItem(exchange);
            return;
        }
        Exchanges.requireMethod(exchange, "GET");
        String rawId = exchange.rawPath().substring("/v1/items/".length());
        if (rawId.endsWith(THUMBNAIL_SUFFIX)) {
            thumbnail(exchange, URLDecoder.decode(rawId.substring(0, rawId.length() - THUMBNAIL_SUFFIX.length()), StandardCharsets.UTF_8));
            return;
        }
        String id = URLDecoder.decode(rawId, StandardCharsets.UTF_8);
        if (id.isBlank()) {
            throw new Exchanges.HttpError(400, "give an item id: GET /v1/items/{id}");
        }
        Optional<VectorRecord> item = search.item(id);
        if (item.isEmpty()) {
            throw new Exchanges.HttpError(404, "item '" + id + "' is not indexed");
        }
        Exchanges.json(exchange, 200, JsonCodec.item(item.get(), false));
    }

    /** An id ending in "/explain" arrives encoded ("%2Fexplain"), so the raw path's suffix is unambiguous. */
    private static final String EXPLAIN = "/explain";

    private void explainItem(Exchange exchange) throws IOException {
        Exchanges.requireMethod(exchange, "GET");
        String raw = exchange.rawPath();
        String id = URLDecoder.decode(raw.substring("/v1/items/".length(), raw.length() - EXPLAIN.length()), StandardCharsets.UTF_8);
        if (id.isBlank()) {
            throw new Exchanges.HttpError(400, "give an item id: GET /v1/items/{id}/explain?q=TEXT");
        }
        exchange.respond(200, "image/png", explainer().explainItem(id, Exchanges.queryParameters(exchange).get("q")));
    }

    private void explainUpload(Exchange exchange) throws IOException {
        Exchanges.requireMethod(exchange, "POST");
        JsonNode body = Exchanges.jsonBody(exchange, settings.maxBodyBytes());
        body.fieldNames().forEachRemaining(name -> {
            if (!name.equals("imageBase64") && !name.equals("text")) {
                throw SearchException.badRequest("unknown field '" + name + "'; fields are [imageBase64, text]");
            }
        });
        exchange.respond(200, "image/png", explainer().explainImage(imageBytes(body), text(body, "text")));
    }

    private Explainer explainer() {
        Explainer current = explainer;
        if (current == null) {
            throw new Exchanges.HttpError(503, "match localisation is not enabled on this instance (it needs the index's "
                    + "stored images); ask an instance that runs the index role");
        }
        return current;
    }

    private static final String THUMBNAIL_SUFFIX = "/thumbnail";

    /**
     * The item's thumbnail as JPEG; for an image that came by URL (no thumbnail kept) a redirect to
     * that URL; else 404 saying why.
     */
    private void thumbnail(Exchange exchange, String id) throws IOException {
        if (id.isBlank()) {
            throw new Exchanges.HttpError(400, "give an item id: GET /v1/items/{id}/thumbnail");
        }
        Optional<byte[]> jpeg = images.image(id);
        if (jpeg.isPresent()) {
            // Short and private: an item may be replaced under the same id, and the token may guard it.
            exchange.setResponseHeader("Cache-Control", "private, max-age=60");
            exchange.respond(200, "image/jpeg", jpeg.get());
            return;
        }
        Optional<VectorRecord> item = search.item(id);
        if (item.isEmpty()) {
            throw new Exchanges.HttpError(404, "item '" + id + "' is not indexed");
        }
        String url = item.get().getImageUrl();
        if (url != null && isWebUrl(url)) {
            exchange.setResponseHeader("Location", url);
            exchange.setResponseHeader("Cache-Control", "private, max-age=60");
            exchange.respond(302, null, new byte[0]);
            return;
        }
        throw new Exchanges.HttpError(404, item.get().getModality() == Modality.TEXT
                ? "item '" + id + "' is a caption; captions have no image"
                : "item '" + id + "' has no thumbnail: it was indexed before thumbnails were kept; re-send the image to make one");
    }

    /** Only http(s) sources are redirected to, never javascript: or data: URLs a producer might have put there. */
    private static boolean isWebUrl(String url) {
        try {
            String scheme = URI.create(url).getScheme();
            return "http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void internalThumbnail(Exchange exchange) throws IOException {
        Exchanges.requireMethod(exchange, "GET");
        Map<String, String> parameters = Exchanges.queryParameters(exchange);
        int partition;
        try {
            partition = Integer.parseInt(parameters.getOrDefault("partition", ""));
        } catch (NumberFormatException e) {
            throw new Exchanges.HttpError(400, "partition must be an integer, got '" + parameters.get("partition") + "'");
        }
        Optional<byte[]> jpeg = images.local(partition, parameters.getOrDefault("id", ""));
        if (jpeg.isEmpty()) {
            throw new Exchanges.HttpError(404, "not held here");
        }
        exchange.respond(200, "image/jpeg", jpeg.get());
    }

    private void ready(Exchange exchange) throws IOException {
        Map<String, String> states = readiness.states();
        ObjectNode body = JsonCodec.MAPPER.createObjectNode();
        boolean ready = readiness.ready();
        body.put("status", ready ? "UP" : "DOWN");
        body.set("applications", JsonCodec.MAPPER.valueToTree(states));
        List<Readiness.FailingThreads> failing = readiness.failing();
        if (!failing.isEmpty()) {
            var list = body.putArray("failing");
            for (Readiness.FailingThreads f : failing) {
                ObjectNode node = list.addObject().put("application", f.application()).put("replacements", f.replacements())
                        .put("windowSeconds", f.window().toSeconds());
                if (f.task() != null) {
                    node.put("task", f.task());
                }
                if (f.topic() != null) {
                    node.put("topic", f.topic()).put("partition", f.partition()).put("offset", f.offset());
                }
                node.put("error", f.error());
            }
        }
        Exchanges.json(exchange, ready ? 200 : 503, body);
    }

    private void internalKnn(Exchange exchange) throws IOException {
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

    private void internalItem(Exchange exchange) throws IOException {
        Exchanges.requireMethod(exchange, "GET");
        Map<String, String> parameters = Exchanges.queryParameters(exchange);
        Optional<VectorRecord> item = local.item(parameters.getOrDefault("store", ""),
                Integer.parseInt(parameters.getOrDefault("partition", "-1")), parameters.getOrDefault("id", ""));
        if (item.isEmpty()) {
            throw new Exchanges.HttpError(404, "not held here");
        }
        Exchanges.json(exchange, 200, JsonCodec.item(item.get(), true));
    }

    /** The page's static files (classpath /web/), by request path; nothing else is served from there. */
    private static final Map<String, String> PAGE_FILES = Map.of(
            "/", "index.html",
            "/index.html", "index.html",
            "/static/app.js", "app.js",
            "/static/app.css", "app.css");

    private void page(Exchange exchange) throws IOException {
        Exchanges.requireMethod(exchange, "GET");
        String path = exchange.path();
        String file = PAGE_FILES.get(path);
        if (file == null) {
            throw new Exchanges.HttpError(404, "no such path: " + path);
        }
        if (file.equals("index.html") && !readiness.ready()) {
            // The page answers 200 only once search works; until then it says why and refreshes itself.
            // Application states are shown only where health is open to all, as /health/ready would show them.
            String states = settings.healthOpen() ? ": " + JsonCodec.MAPPER.writeValueAsString(readiness.states()).replace("<", "&lt;") : "";
            exchange.respond(503, "text/html; charset=utf-8", ("<!doctype html><meta http-equiv=refresh content=2>"
                    + "<title>clipstream starting</title><p>clipstream is starting" + states + "</p>").getBytes(StandardCharsets.UTF_8));
            return;
        }
        try (InputStream page = HttpApi.class.getResourceAsStream("/web/" + file)) {
            if (page == null) {
                throw new Exchanges.HttpError(500, "the web page file " + file + " is missing from the jar; rebuild it");
            }
            exchange.setResponseHeader("Cache-Control", "no-cache");
            exchange.respond(200, contentType(file), page.readAllBytes());
        }
    }

    /** The OpenAPI 3.1 description of the public API, read once from the jar. */
    static byte[] openApiDocument() throws IOException {
        try (InputStream document = HttpApi.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (document == null) {
                throw new IOException(OPENAPI_RESOURCE + " is missing from the jar; rebuild it with ./mvnw package");
            }
            return document.readAllBytes();
        }
    }

    private static String contentType(String file) {
        if (file.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        return file.endsWith(".css") ? "text/css; charset=utf-8" : "text/html; charset=utf-8";
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

    /** The body's {@code imageBase64} (plain or a data: URL) decoded, or null when absent. */
    private static byte[] imageBytes(JsonNode body) {
        String imageBase64 = text(body, "imageBase64");
        if (imageBase64 == null) {
            return null;
        }
        try {
            // Strict decoding (the MIME decoder skips bad characters and would hand on a damaged image);
            // line breaks are allowed because many tools wrap base64.
            return Base64.getDecoder().decode(stripDataUrl(imageBase64).replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw SearchException.badRequest("imageBase64 is not valid base64: " + e.getMessage());
        }
    }

    private static String stripDataUrl(String base64) {
        int comma = base64.indexOf(',');
        return base64.startsWith("data:") && comma > 0 ? base64.substring(comma + 1) : base64;
    }

    @Override
    public void close() {
        transport.close();
    }
}
