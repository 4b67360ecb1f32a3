package io.clipstream.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.clipstream.search.QueryLimits;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The OpenAPI description served at /openapi.json against the routes HttpApi registers. */
class OpenApiTest {

    private static final Set<String> OPERATIONS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final Pattern CONTEXT = Pattern.compile("createContext\\(\\s*\"([^\"]+)\"");

    private HttpApi api;

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    private static JsonNode document() throws Exception {
        return JsonCodec.MAPPER.readTree(HttpApi.openApiDocument());
    }

    @Test
    void isAnOpenApi31DocumentWhoseOperationsAllHaveResponses() throws Exception {
        JsonNode doc = document();
        assertTrue(doc.path("openapi").asText().startsWith("3.1."), "openapi version: " + doc.path("openapi"));
        assertFalse(doc.path("info").path("title").asText().isBlank());
        assertFalse(doc.path("info").path("version").asText().isBlank());
        assertTrue(doc.path("paths").size() > 0);
        doc.path("paths").properties().forEach(path -> {
            assertTrue(path.getKey().startsWith("/"), path.getKey());
            List<String> operations = new ArrayList<>();
            path.getValue().properties().forEach(op -> {
                if (OPERATIONS.contains(op.getKey())) {
                    operations.add(op.getKey());
                    assertTrue(op.getValue().path("responses").size() > 0, op.getKey() + " " + path.getKey() + " has no responses");
                    op.getValue().path("responses").properties().forEach(response -> assertTrue(
                            response.getKey().matches("[1-5][0-9][0-9]|default"), path.getKey() + ": status " + response.getKey()));
                }
            });
            assertFalse(operations.isEmpty(), path.getKey() + " has no operation");
            // Every {parameter} in the path template is declared.
            Matcher template = Pattern.compile("\\{([^}]+)}").matcher(path.getKey());
            while (template.find()) {
                String name = template.group(1);
                path.getValue().properties().forEach(op -> {
                    if (OPERATIONS.contains(op.getKey())) {
                        boolean declared = false;
                        for (JsonNode parameter : op.getValue().path("parameters")) {
                            JsonNode resolved = resolve(doc, parameter);
                            declared |= resolved.path("in").asText().equals("path") && resolved.path("name").asText().equals(name);
                        }
                        assertTrue(declared, path.getKey() + " " + op.getKey() + " does not declare path parameter " + name);
                    }
                });
            }
        });
    }

    @Test
    void everyReferenceResolves() throws Exception {
        JsonNode doc = document();
        List<String> broken = new ArrayList<>();
        collectRefs(doc, doc, broken);
        assertTrue(broken.isEmpty(), "unresolved $ref: " + broken);
    }

    @Test
    void everyPublicRouteOfHttpApiIsDescribed() throws Exception {
        Set<String> paths = new TreeSet<>();
        document().path("paths").fieldNames().forEachRemaining(paths::add);
        List<String> contexts = publicContexts();
        assertTrue(contexts.contains("/v1/search") && contexts.contains("/health/ready"), "parsed routes: " + contexts);
        for (String context : contexts) {
            boolean described = context.length() > 1 && context.endsWith("/")
                    // A prefix context (/v1/items/) serves the templated paths under it.
                    ? paths.stream().anyMatch(path -> path.startsWith(context) && path.length() > context.length())
                    : paths.contains(context);
            assertTrue(described, "HttpApi serves " + context + " but src/main/resources/api/openapi.json does not describe it; "
                    + "described: " + paths);
        }
        assertFalse(paths.stream().anyMatch(path -> path.startsWith("/internal/")), "the peer protocol is not public API");
    }

    @Test
    void searchRequestSchemaListsExactlyTheFieldsTheHandlerAccepts() throws Exception {
        JsonNode request = document().path("components").path("schemas").path("SearchRequest");
        Set<String> properties = new TreeSet<>();
        request.path("properties").fieldNames().forEachRemaining(properties::add);
        assertEquals(new TreeSet<>(HttpApi.SEARCH_FIELDS), properties);
        assertFalse(request.path("additionalProperties").asBoolean(true), "unknown fields are refused, so say so");
        JsonNode body = document().path("paths").path("/v1/search").path("post").path("requestBody")
                .path("content").path("application/json").path("schema");
        assertEquals("#/components/schemas/SearchRequest", body.path("$ref").asText());
    }

    @Test
    void servedWithoutATokenLikeHealthUnlessHealthIsClosed() throws Exception {
        HttpResponse<byte[]> open = get(start(true), "/openapi.json");
        assertEquals(200, open.statusCode());
        assertEquals("application/json", open.headers().firstValue("Content-Type").orElse(""));
        assertArrayEquals(HttpApi.openApiDocument(), open.body());
        api.close();
        api = null;
        assertEquals(401, get(start(false), "/openapi.json").statusCode());
    }

    private int start(boolean healthOpen) throws Exception {
        HttpSettings settings = new HttpSettings("127.0.0.1", 0, 1 << 20,
                Optional.of(BearerToken.of("http.auth.token", "api-token-0123456789abcdef")), Optional.empty(), healthOpen);
        api = new HttpApi(settings, null, null, null, () -> Map.of("index", "RUNNING"),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), QueryLimits.DEFAULT);
        api.start();
        return api.port();
    }

    private static HttpResponse<byte[]> get(int port, String path) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        }
    }

    /** The paths HttpApi registers, read from its source so a route added in any branch is checked at merge. */
    private static List<String> publicContexts() throws Exception {
        Path source = Path.of(System.getProperty("clipstream.project.dir", "."), "src/main/java/io/clipstream/http/HttpApi.java");
        Matcher matcher = CONTEXT.matcher(Files.readString(source, StandardCharsets.UTF_8));
        List<String> contexts = new ArrayList<>();
        while (matcher.find()) {
            if (!matcher.group(1).startsWith("/internal/")) {
                contexts.add(matcher.group(1));
            }
        }
        return contexts;
    }

    private static JsonNode resolve(JsonNode doc, JsonNode node) {
        return node.has("$ref") ? doc.at(node.get("$ref").asText().substring(1)) : node;
    }

    private static void collectRefs(JsonNode doc, JsonNode node, List<String> broken) {
        if (node.isObject()) {
            if (node.has("$ref")) {
                String ref = node.get("$ref").asText();
                if (!ref.startsWith("#/") || doc.at(ref.substring(1)).isMissingNode()) {
                    broken.add(ref);
                }
            }
            node.elements().forEachRemaining(child -> collectRefs(doc, child, broken));
        } else if (node.isArray()) {
            node.elements().forEachRemaining(child -> collectRefs(doc, child, broken));
        }
    }
}
