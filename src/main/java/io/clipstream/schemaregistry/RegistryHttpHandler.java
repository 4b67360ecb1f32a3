package io.clipstream.schemaregistry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes the Confluent Schema Registry REST requests that producers, consumers and operators use
 * onto a {@link SchemaStore}, and answers in Confluent's JSON shapes and error codes.
 */
final class RegistryHttpHandler implements HttpHandler {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(RegistryHttpHandler.class);
    /** What an oversized body is drained up to, so the client reads the 413 instead of a reset connection. */
    private static final long MAX_DRAINED_BYTES = 64L * 1024 * 1024;

    private final SchemaStore store;
    private final Optional<byte[]> expectedAuthorization;
    private final int maxRequestBytes;

    RegistryHttpHandler(SchemaStore store, Optional<String> basicAuthUserInfo, int maxRequestBytes) {
        this.store = store;
        this.expectedAuthorization = basicAuthUserInfo.map(userInfo -> ("Basic " + java.util.Base64.getEncoder()
                .encodeToString(userInfo.getBytes(StandardCharsets.UTF_8))).getBytes(StandardCharsets.UTF_8));
        this.maxRequestBytes = maxRequestBytes;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            int status;
            Object body;
            try {
                authorize(exchange);
                body = route(exchange);
                status = 200;
            } catch (RegistryError e) {
                status = e.httpStatus();
                body = error(e.errorCode(), e.getMessage());
            } catch (RuntimeException e) {
                LOG.warn("In-process schema registry failed on {} {}", exchange.getRequestMethod(),
                        exchange.getRequestURI().getRawPath(), e);
                status = 500;
                body = error(50001, "Error in the in-process schema registry: " + e);
            }
            send(exchange, status, body);
        }
    }

    private void authorize(HttpExchange exchange) {
        if (expectedAuthorization.isEmpty()) {
            return;
        }
        String given = exchange.getRequestHeaders().getFirst("Authorization");
        // Constant-time comparison: the answer time must not reveal how much of a guess was right.
        if (given == null || !MessageDigest.isEqual(expectedAuthorization.get(), given.getBytes(StandardCharsets.UTF_8))) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"schema-registry\"");
            throw new RegistryError(401, SchemaRegistryException.UNAUTHORIZED, "Unauthorized");
        }
    }

    private Object route(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        List<String> path = segments(exchange.getRequestURI().getRawPath());
        String query = Optional.ofNullable(exchange.getRequestURI().getRawQuery()).orElse("");
        int n = path.size();
        if (n == 0) {
            return allow(method, "GET") ? JSON.createObjectNode() : methodNotAllowed();
        }
        switch (path.getFirst()) {
            case "subjects" -> {
                if (n == 1 && allow(method, "GET")) {
                    return store.subjects();
                }
                String subject = n >= 2 ? path.get(1) : null;
                if (n == 2 && allow(method, "POST")) {
                    return versionJson(store.lookup(subject, readSchema(exchange)));
                }
                if (n == 3 && path.get(2).equals("versions")) {
                    return switch (method) {
                        case "GET" -> store.versions(subject);
                        case "POST" -> idJson(store.register(subject, readSchema(exchange)).id());
                        default -> methodNotAllowed();
                    };
                }
                if (n == 4 && path.get(2).equals("versions") && allow(method, "GET")) {
                    return versionJson(store.version(subject, parseVersion(path.get(3))));
                }
                if (n == 5 && path.get(2).equals("versions") && path.get(4).equals("schema") && allow(method, "GET")) {
                    return JSON.readTree(store.version(subject, parseVersion(path.get(3))).schema());
                }
            }
            case "schemas" -> {
                if (n == 2 && path.get(1).equals("types") && allow(method, "GET")) {
                    return List.of("AVRO");
                }
                if (n == 3 && path.get(1).equals("ids") && allow(method, "GET")) {
                    int id = parseId(path.get(2));
                    String schema = store.schemaById(id).orElseThrow(() ->
                            RegistryError.schemaNotFound("Schema " + id + " not found"));
                    ObjectNode answer = JSON.createObjectNode();
                    answer.put("schema", schema);
                    return answer;
                }
            }
            case "compatibility" -> {
                if (n == 5 && path.get(1).equals("subjects") && path.get(3).equals("versions") && allow(method, "POST")) {
                    String subject = path.get(2);
                    List<String> problems = store.testCompatibility(subject, readSchema(exchange), parseVersion(path.get(4)));
                    ObjectNode answer = JSON.createObjectNode();
                    answer.put("is_compatible", problems.isEmpty());
                    if (queryFlag(query, "verbose")) {
                        problems.forEach(answer.putArray("messages")::add);
                    }
                    return answer;
                }
            }
            case "config" -> {
                if (n == 1 || n == 2) {
                    Optional<String> subject = n == 2 ? Optional.of(path.get(1)) : Optional.empty();
                    return switch (method) {
                        case "GET" -> levelJson("compatibilityLevel", currentLevel(subject, queryFlag(query, "defaultToGlobal")));
                        case "PUT" -> {
                            CompatibilityLevel level = readLevel(exchange);
                            subject.ifPresentOrElse(s -> store.subjectLevel(s, level), () -> store.globalLevel(level));
                            yield levelJson("compatibility", level);
                        }
                        default -> methodNotAllowed();
                    };
                }
            }
            default -> {
            }
        }
        throw RegistryError.notFound();
    }

    private CompatibilityLevel currentLevel(Optional<String> subject, boolean defaultToGlobal) {
        if (subject.isEmpty()) {
            return store.globalLevel();
        }
        Optional<CompatibilityLevel> level = store.subjectLevel(subject.get());
        if (level.isEmpty() && !defaultToGlobal) {
            throw new RegistryError(404, SchemaRegistryException.SUBJECT_COMPATIBILITY_NOT_CONFIGURED,
                    "Subject '" + subject.get() + "' does not have subject-level compatibility configured");
        }
        return level.orElseGet(store::globalLevel);
    }

    private Schema readSchema(HttpExchange exchange) throws IOException {
        JsonNode body = readJson(exchange);
        JsonNode type = body.get("schemaType");
        if (type != null && !type.isNull() && !"AVRO".equalsIgnoreCase(type.asText())) {
            throw RegistryError.invalidSchema("Schema type " + type.asText() + " is not supported; this registry serves AVRO only");
        }
        JsonNode references = body.get("references");
        if (references != null && references.isArray() && !references.isEmpty()) {
            throw RegistryError.invalidSchema("Schema references are not supported; send the schema with its named types inlined");
        }
        JsonNode text = body.get("schema");
        if (text == null || !text.isTextual() || text.asText().isBlank()) {
            throw RegistryError.invalidSchema("Empty schema: the body needs a string field \"schema\"");
        }
        try {
            return new Schema.Parser().parse(text.asText());
        } catch (SchemaParseException | org.apache.avro.AvroTypeException e) {
            throw RegistryError.invalidSchema("Invalid schema: " + e.getMessage());
        }
    }

    private CompatibilityLevel readLevel(HttpExchange exchange) throws IOException {
        JsonNode level = readJson(exchange).get("compatibility");
        return CompatibilityLevel.parse(level == null ? null : level.asText()).orElseThrow(() ->
                new RegistryError(422, SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL,
                        "Invalid compatibility level. Valid values are none, backward, forward, full, "
                                + "backward_transitive, forward_transitive, and full_transitive"));
    }

    private JsonNode readJson(HttpExchange exchange) throws IOException {
        byte[] bytes = readBody(exchange);
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new RegistryError(400, 400, "Request body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new RegistryError(400, 400, "Malformed JSON in request body: " + e.getOriginalMessage());
        }
    }

    private byte[] readBody(HttpExchange exchange) throws IOException {
        InputStream in = exchange.getRequestBody();
        byte[] bytes = in.readNBytes(maxRequestBytes + 1);
        if (bytes.length > maxRequestBytes) {
            // Bounded drain, so that the client gets to read the answer instead of a broken pipe.
            long drained = 0;
            byte[] discard = new byte[8192];
            for (int read; drained < MAX_DRAINED_BYTES && (read = in.read(discard)) > 0; ) {
                drained += read;
            }
            LOG.debug("Refused a request body over {} bytes (drained {} more)", maxRequestBytes, drained);
            throw new RegistryError(413, 413, "Request body is larger than " + maxRequestBytes + " bytes");
        }
        return bytes;
    }

    private static int parseVersion(String text) {
        if (text.equals("latest")) {
            return -1;
        }
        try {
            int version = Integer.parseInt(text);
            if (version == -1 || version >= 1) {
                return version;
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw new RegistryError(422, SchemaRegistryException.INVALID_VERSION, "The specified version '" + text
                + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    private static int parseId(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw RegistryError.schemaNotFound("Schema " + text + " not found");
        }
    }

    private static boolean allow(String method, String expected) {
        if (!method.equals(expected)) {
            throw new RegistryError(405, 405, "HTTP 405 Method Not Allowed");
        }
        return true;
    }

    private static Object methodNotAllowed() {
        throw new RegistryError(405, 405, "HTTP 405 Method Not Allowed");
    }

    private static boolean queryFlag(String rawQuery, String name) {
        return Arrays.stream(rawQuery.split("&")).anyMatch(p -> p.equalsIgnoreCase(name + "=true"));
    }

    /** Splits the raw path and percent-decodes each segment, so that a subject may contain an encoded '/'. */
    private static List<String> segments(String rawPath) {
        List<String> segments = new ArrayList<>();
        for (String raw : rawPath.split("/")) {
            if (!raw.isEmpty()) {
                segments.add(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return segments;
    }

    private static ObjectNode versionJson(SchemaStore.Registered registered) {
        ObjectNode node = JSON.createObjectNode();
        node.put("subject", registered.subject());
        node.put("version", registered.version());
        node.put("id", registered.id());
        node.put("schema", registered.schema());
        return node;
    }

    private static ObjectNode idJson(int id) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", id);
        return node;
    }

    private static ObjectNode levelJson(String field, CompatibilityLevel level) {
        ObjectNode node = JSON.createObjectNode();
        node.put(field, level.name());
        return node;
    }

    private static ObjectNode error(int code, String message) {
        ObjectNode node = JSON.createObjectNode();
        node.put("error_code", code);
        node.put("message", message);
        return node;
    }

    private static void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", HttpSchemaRegistryClient.CONTENT_TYPE);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
