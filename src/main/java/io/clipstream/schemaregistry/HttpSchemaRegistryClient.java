package io.clipstream.schemaregistry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SchemaRegistryClient} over the Confluent REST API, on the JDK's HTTP client.
 * Works with any registry that speaks that API (Confluent, Redpanda, Karapace, Apicurio's ccompat
 * endpoint). With several URLs it tries the next one when a URL cannot be reached and keeps using
 * the one that answered last.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT = CONTENT_TYPE
            + ", application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";
    /** Schemas are kilobytes; anything near this is not a registry answer. */
    private static final int MAX_RESPONSE_BYTES = 8 * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(HttpSchemaRegistryClient.class);

    private record SubjectSchema(String subject, Schema schema) {
    }

    /** One HTTP answer: the URL that gave it, its status and its body parsed as JSON (null if not JSON). */
    private record Answer(URI url, int status, String body, JsonNode json) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        int errorCode() {
            JsonNode code = json == null ? null : json.get("error_code");
            return code != null && code.canConvertToInt() ? code.asInt() : status;
        }

        String serverMessage() {
            JsonNode message = json == null ? null : json.get("message");
            if (message != null && message.isTextual()) {
                return message.asText();
            }
            return body.isBlank() ? "(empty body)" : abbreviate(body);
        }
    }

    private final SchemaRegistryConfig config;
    private final HttpClient http;
    private final Optional<String> authorization;
    private final LruCache<Integer, Schema> schemasById;
    private final LruCache<SubjectSchema, Integer> idsBySubjectAndSchema;
    private final AtomicInteger preferredUrl = new AtomicInteger();

    public HttpSchemaRegistryClient(SchemaRegistryConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.http = HttpClient.newBuilder()
                .connectTimeout(config.requestTimeout())
                // A redirect could carry the Authorization header to another host; registries do not redirect.
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.authorization = config.basicAuthUserInfo().map(userInfo ->
                "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
        this.schemasById = new LruCache<>(config.cacheCapacity());
        this.idsBySubjectAndSchema = new LruCache<>(config.cacheCapacity());
    }

    public SchemaRegistryConfig config() {
        return config;
    }

    @Override
    public int register(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(requireSubject(subject), Objects.requireNonNull(schema, "schema"));
        Integer cached = idsBySubjectAndSchema.get(key);
        if (cached != null) {
            return cached;
        }
        Answer answer = exchange("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema));
        if (!answer.ok()) {
            throw failure(answer, "register schema " + schema.getFullName() + " under subject '" + subject + "'");
        }
        int id = requireInt(answer, "id");
        idsBySubjectAndSchema.put(key, id);
        schemasById.put(id, schema);
        LOG.debug("Registered schema {} under subject '{}' as id {}", schema.getFullName(), subject, id);
        return id;
    }

    @Override
    public Schema getById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        Answer answer = exchange("GET", "/schemas/ids/" + id, null);
        if (!answer.ok()) {
            if (answer.errorCode() == SchemaRegistryException.SCHEMA_NOT_FOUND) {
                throw new SchemaRegistryException("schema id " + id + " is not known to the registry at " + answer.url()
                        + "; was the record produced against another registry?",
                        SchemaRegistryException.SCHEMA_NOT_FOUND, answer.status(), answer.url().toString());
            }
            throw failure(answer, "fetch schema id " + id);
        }
        JsonNode type = field(answer, "schemaType");
        if (type != null && !"AVRO".equalsIgnoreCase(type.asText())) {
            throw new SchemaRegistryException("schema id " + id + " at " + answer.url() + " is a " + type.asText()
                    + " schema, not Avro; this topic's records must be read with a " + type.asText() + " deserializer",
                    SchemaRegistryException.INVALID_SCHEMA, answer.status(), answer.url().toString());
        }
        Schema schema = parseSchema(answer, requireText(answer, "schema"), "schema id " + id);
        schemasById.put(id, schema);
        return schema;
    }

    @Override
    public int idOf(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(requireSubject(subject), Objects.requireNonNull(schema, "schema"));
        Integer cached = idsBySubjectAndSchema.get(key);
        if (cached != null) {
            return cached;
        }
        Answer answer = exchange("POST", "/subjects/" + encode(subject), schemaBody(schema));
        if (!answer.ok()) {
            if (answer.errorCode() == SchemaRegistryException.SCHEMA_NOT_FOUND) {
                throw new SchemaRegistryException("schema " + schema.getFullName() + " is not registered under subject '"
                        + subject + "' at " + answer.url() + "; register it first or set "
                        + SchemaRegistryConfig.AUTO_REGISTER + "=true",
                        SchemaRegistryException.SCHEMA_NOT_FOUND, answer.status(), answer.url().toString());
            }
            throw failure(answer, "look up schema " + schema.getFullName() + " under subject '" + subject + "'");
        }
        int id = requireInt(answer, "id");
        idsBySubjectAndSchema.put(key, id);
        schemasById.put(id, schema);
        return id;
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        requireSubject(subject);
        Objects.requireNonNull(schema, "schema");
        Answer answer = exchange("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest", schemaBody(schema));
        if (!answer.ok()) {
            int code = answer.errorCode();
            // Nothing registered yet means nothing to break: registering would succeed.
            if (code == SchemaRegistryException.SUBJECT_NOT_FOUND || code == SchemaRegistryException.VERSION_NOT_FOUND) {
                return true;
            }
            throw failure(answer, "check schema " + schema.getFullName() + " for compatibility with subject '" + subject + "'");
        }
        JsonNode compatible = field(answer, "is_compatible");
        if (compatible == null || !compatible.isBoolean()) {
            throw invalidResponse(answer, "has no boolean 'is_compatible'");
        }
        return compatible.booleanValue();
    }

    @Override
    public void close() {
        http.close();
    }

    @Override
    public String toString() {
        return "HttpSchemaRegistryClient[" + config + "]";
    }

    private Answer exchange(String method, String path, String body) {
        int count = config.urls().size();
        int first = preferredUrl.get();
        IOException lastFailure = null;
        String lastReason = "no URL tried";
        for (int attempt = 0; attempt < count; attempt++) {
            int index = (first + attempt) % count;
            URI base = config.urls().get(index);
            HttpRequest request = request(method, URI.create(base + path), body);
            try {
                HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                String text = readBounded(response.body(), base);
                preferredUrl.set(index);
                return new Answer(base, response.statusCode(), text, parseJson(text));
            } catch (IOException e) {
                lastFailure = e;
                lastReason = reason(e, base);
                LOG.debug("Schema registry {} {} at {} failed: {}", method, path, base, lastReason);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException("interrupted while waiting for the schema registry at " + base,
                        SchemaRegistryException.INTERRUPTED, -1, base.toString(), e);
            }
        }
        String urls = config.describeUrls();
        if (lastFailure instanceof HttpTimeoutException && !(lastFailure instanceof HttpConnectTimeoutException)) {
            throw new SchemaRegistryException("schema registry at " + urls + " did not answer within "
                    + config.requestTimeout().toMillis() + " ms; check that the registry is healthy, or raise "
                    + SchemaRegistryConfig.TIMEOUT_MS, SchemaRegistryException.TIMEOUT, -1, urls, lastFailure);
        }
        throw new SchemaRegistryException("schema registry at " + urls + " is unreachable (" + lastReason
                + "); check " + SchemaRegistryConfig.URL + " and that the registry is running",
                SchemaRegistryException.UNREACHABLE, -1, urls, lastFailure);
    }

    private HttpRequest request(String method, URI uri, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(config.requestTimeout())
                .header("Accept", ACCEPT);
        authorization.ifPresent(value -> builder.header("Authorization", value));
        if (body == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            builder.header("Content-Type", CONTENT_TYPE)
                    .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    private SchemaRegistryException failure(Answer answer, String action) {
        int code = answer.errorCode();
        String hint = switch (code) {
            case SchemaRegistryException.SUBJECT_NOT_FOUND ->
                    "; register a schema under the subject first, or set " + SchemaRegistryConfig.AUTO_REGISTER + "=true";
            case SchemaRegistryException.INCOMPATIBLE_SCHEMA ->
                    "; keep the change compatible with the subject's compatibility level (BACKWARD: add fields only"
                            + " with defaults, remove only fields that had defaults) or use a new subject";
            case SchemaRegistryException.INVALID_SCHEMA -> "; fix the schema so that the registry can parse it";
            case SchemaRegistryException.NOT_FOUND ->
                    "; check " + SchemaRegistryConfig.URL + " (include any path prefix, such as /apis/ccompat/v7)";
            default -> "";
        };
        if (answer.status() == 401 || answer.status() == 403) {
            hint = "; check " + SchemaRegistryConfig.BASIC_AUTH_USER_INFO;
        }
        return new SchemaRegistryException("schema registry at " + answer.url() + " could not " + action + ": "
                + answer.serverMessage() + " (HTTP " + answer.status() + ", error_code " + code + ")" + hint,
                code, answer.status(), answer.url().toString());
    }

    private static SchemaRegistryException invalidResponse(Answer answer, String problem) {
        return new SchemaRegistryException("schema registry at " + answer.url() + " answered HTTP " + answer.status()
                + " with a body that " + problem + ": " + abbreviate(answer.body())
                + "; check that " + SchemaRegistryConfig.URL + " points at a Confluent-compatible schema registry",
                SchemaRegistryException.INVALID_RESPONSE, answer.status(), answer.url().toString());
    }

    private static JsonNode field(Answer answer, String name) {
        return answer.json() == null ? null : answer.json().get(name);
    }

    private static int requireInt(Answer answer, String field) {
        JsonNode node = field(answer, field);
        if (node == null || !node.canConvertToInt()) {
            throw invalidResponse(answer, "has no integer '" + field + "'");
        }
        return node.asInt();
    }

    private static String requireText(Answer answer, String field) {
        JsonNode node = field(answer, field);
        if (node == null || !node.isTextual()) {
            throw invalidResponse(answer, "has no string '" + field + "'");
        }
        return node.asText();
    }

    private static Schema parseSchema(Answer answer, String text, String what) {
        try {
            // Lenient about defaults: the registry already accepted this schema, and refusing it here
            // would make its records unreadable.
            return new Schema.Parser().setValidateDefaults(false).parse(text);
        } catch (SchemaParseException e) {
            throw new SchemaRegistryException(what + " from the registry at " + answer.url()
                    + " is not a valid Avro schema (" + e.getMessage() + "); was it registered as another schema type?",
                    SchemaRegistryException.INVALID_SCHEMA, answer.status(), answer.url().toString(), e);
        }
    }

    private static String schemaBody(Schema schema) {
        ObjectNode body = JSON.createObjectNode();
        body.put("schema", schema.toString());
        return body.toString();
    }

    private static String readBounded(InputStream body, URI url) throws IOException {
        try (body) {
            byte[] bytes = body.readNBytes(MAX_RESPONSE_BYTES + 1);
            if (bytes.length > MAX_RESPONSE_BYTES) {
                throw new IOException("answer from " + url + " is larger than " + MAX_RESPONSE_BYTES + " bytes");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private static JsonNode parseJson(String text) {
        if (text.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String requireSubject(String subject) {
        Objects.requireNonNull(subject, "subject");
        if (subject.isBlank()) {
            throw new IllegalArgumentException("schema registry subject is blank; subjects look like <topic>-value");
        }
        return subject;
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * The most specific message in the cause chain. The JDK's HTTP client often reports a refused
     * or unresolvable connection as a bare ConnectException; then a plain socket connect recovers
     * the operating system's reason ("Connection refused", an unknown host).
     */
    private String reason(IOException failure, URI url) {
        String reason = null;
        for (Throwable t = failure; t != null && reason == null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                reason = t.getMessage();
            }
        }
        if (reason == null && failure instanceof ConnectException) {
            reason = probe(url);
        }
        return reason != null ? reason : failure.getClass().getSimpleName();
    }

    private String probe(URI url) {
        int port = url.getPort() >= 0 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(url.getHost(), port), (int) Math.min(Integer.MAX_VALUE, config.requestTimeout().toMillis()));
            return null;
        } catch (UnknownHostException e) {
            return "unknown host " + url.getHost();
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    private static String abbreviate(String text) {
        String oneLine = text.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "...";
    }
}
