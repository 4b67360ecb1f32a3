package io.clipstream.schemaregistry;

import static io.clipstream.schemaregistry.RegistryHttp.schemaBody;
import static io.clipstream.schemaregistry.TestSchemas.USER_ID_AS_INT;
import static io.clipstream.schemaregistry.TestSchemas.USER_V1;
import static io.clipstream.schemaregistry.TestSchemas.USER_V2_OPTIONAL_FIELD;
import static io.clipstream.schemaregistry.TestSchemas.USER_V2_REQUIRED_FIELD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What goes over the wire: Confluent's paths, JSON shapes, status codes and error codes. */
class InProcessSchemaRegistryTest {

    private InProcessSchemaRegistry registry;
    private RegistryHttp http;

    @BeforeEach
    void start() {
        registry = new InProcessSchemaRegistry();
        http = new RegistryHttp(registry.url());
    }

    @AfterEach
    void stop() {
        http.close();
        registry.close();
    }

    @Test
    void listensOnLoopbackAtAnEphemeralPort() {
        assertEquals("http://127.0.0.1:" + registry.port(), registry.url().toString());
        assertTrue(registry.port() > 0);
    }

    @Test
    void registrationAnswersWithTheIdAndIsIdempotent() {
        RegistryHttp.Response first = http.post("/subjects/users-value/versions", schemaBody(USER_V1.toString()));
        RegistryHttp.Response again = http.post("/subjects/users-value/versions", schemaBody(USER_V1.toString()));

        assertEquals(200, first.status());
        assertEquals("application/vnd.schemaregistry.v1+json", first.contentType());
        assertEquals(fieldNames("id"), fieldNames(first.json()));
        assertEquals(first.json(), again.json());
        assertEquals("[1]", http.get("/subjects/users-value/versions").body());
    }

    @Test
    void readEndpointsAnswerInConfluentShapes() {
        int v1 = register("users-value", USER_V1);
        int v2 = register("users-value", USER_V2_OPTIONAL_FIELD);
        register("accounts-value", USER_V1);

        assertEquals("[\"accounts-value\",\"users-value\"]", http.get("/subjects").body());
        assertEquals("[1,2]", http.get("/subjects/users-value/versions").body());

        JsonNode latest = http.get("/subjects/users-value/versions/latest").json();
        assertEquals(fieldNames("subject", "version", "id", "schema"), fieldNames(latest));
        assertEquals("users-value", latest.get("subject").asText());
        assertEquals(2, latest.get("version").asInt());
        assertEquals(v2, latest.get("id").asInt());
        assertEquals(USER_V2_OPTIONAL_FIELD, TestSchemas.parse(latest.get("schema").asText()));

        JsonNode first = http.get("/subjects/users-value/versions/1").json();
        assertEquals(v1, first.get("id").asInt());
        assertEquals(first, http.get("/subjects/users-value/versions/1").json());
        assertEquals(latest, http.get("/subjects/users-value/versions/-1").json());
        assertEquals(USER_V1, TestSchemas.parse(http.get("/subjects/users-value/versions/1/schema").body()));

        JsonNode byId = http.get("/schemas/ids/" + v1).json();
        assertEquals(fieldNames("schema"), fieldNames(byId));
        assertEquals(USER_V1, TestSchemas.parse(byId.get("schema").asText()));

        assertEquals("[\"AVRO\"]", http.get("/schemas/types").body());
        assertEquals("{}", http.get("/").body());
    }

    @Test
    void lookupFindsARegisteredSchemaUnderItsSubject() {
        int id = register("users-value", USER_V1);

        JsonNode found = http.post("/subjects/users-value", schemaBody(USER_V1.toString())).json();
        assertEquals(fieldNames("subject", "version", "id", "schema"), fieldNames(found));
        assertEquals(id, found.get("id").asInt());
        assertEquals(1, found.get("version").asInt());

        assertError(404, 40403, http.post("/subjects/users-value", schemaBody(USER_V2_OPTIONAL_FIELD.toString())));
        assertError(404, 40401, http.post("/subjects/nobody-value", schemaBody(USER_V1.toString())));
    }

    @Test
    void backwardIsTheDefaultAndRefusesABreakingChangeWith409() {
        register("users-value", USER_V1);

        assertEquals("{\"compatibilityLevel\":\"BACKWARD\"}", http.get("/config").body());
        RegistryHttp.Response refused = http.post("/subjects/users-value/versions", schemaBody(USER_V2_REQUIRED_FIELD.toString()));
        assertError(409, 409, refused);
        assertTrue(refused.json().get("message").asText().contains("age"), refused.body());
        assertEquals("[1]", http.get("/subjects/users-value/versions").body());
    }

    @Test
    void compatibilityEndpointAnswersWithoutRegistering() {
        register("users-value", USER_V1);

        assertEquals("{\"is_compatible\":true}",
                http.post("/compatibility/subjects/users-value/versions/latest", schemaBody(USER_V2_OPTIONAL_FIELD.toString())).body());
        assertEquals("{\"is_compatible\":false}",
                http.post("/compatibility/subjects/users-value/versions/latest", schemaBody(USER_V2_REQUIRED_FIELD.toString())).body());
        JsonNode verbose = http.post("/compatibility/subjects/users-value/versions/1?verbose=true",
                schemaBody(USER_ID_AS_INT.toString())).json();
        assertEquals(false, verbose.get("is_compatible").asBoolean());
        assertTrue(verbose.get("messages").size() > 0, verbose.toString());
        assertEquals("[1]", http.get("/subjects/users-value/versions").body());
        assertError(404, 40401, http.post("/compatibility/subjects/nobody-value/versions/latest", schemaBody(USER_V1.toString())));
    }

    @Test
    void subjectLevelConfigOverridesTheGlobalLevel() {
        register("users-value", USER_V1);
        assertError(404, 40408, http.get("/config/users-value"));
        assertEquals("{\"compatibilityLevel\":\"BACKWARD\"}", http.get("/config/users-value?defaultToGlobal=true").body());

        assertEquals("{\"compatibility\":\"NONE\"}", http.put("/config/users-value", "{\"compatibility\":\"none\"}").body());
        assertEquals("{\"compatibilityLevel\":\"NONE\"}", http.get("/config/users-value").body());
        assertEquals(200, http.post("/subjects/users-value/versions", schemaBody(USER_ID_AS_INT.toString())).status());

        assertEquals("{\"compatibilityLevel\":\"BACKWARD\"}", http.get("/config").body(), "global level untouched");
        assertError(422, 42203, http.put("/config", "{\"compatibility\":\"SIDEWAYS\"}"));
    }

    @Test
    void forwardLevelChecksThatOldReadersCanReadNewData() {
        register("users-value", USER_V1);
        http.put("/config/users-value", "{\"compatibility\":\"FORWARD\"}");

        // A new required field is fine for old readers (they skip it) ...
        assertEquals(200, http.post("/subjects/users-value/versions", schemaBody(USER_V2_REQUIRED_FIELD.toString())).status());
        // ... but dropping the field old readers need, and have no default for, is not.
        Schema dropsAge = TestSchemas.parse("""
                {"type":"record","name":"User","namespace":"test","fields":[{"name":"id","type":"string"}, {"name":"x","type":"long"}]}""");
        assertError(409, 409, http.post("/subjects/users-value/versions", schemaBody(dropsAge.toString())));
    }

    @Test
    void transitiveLevelsCheckEveryEarlierVersion() {
        http.put("/config/users-value", "{\"compatibility\":\"NONE\"}");
        register("users-value", USER_ID_AS_INT);
        register("users-value", USER_V1);
        http.put("/config/users-value", "{\"compatibility\":\"BACKWARD_TRANSITIVE\"}");

        // Compatible with the latest (string id) but not with version 1 (int id).
        RegistryHttp.Response refused = http.post("/subjects/users-value/versions", schemaBody(USER_V2_OPTIONAL_FIELD.toString()));
        assertError(409, 409, refused);

        http.put("/config/users-value", "{\"compatibility\":\"BACKWARD\"}");
        assertEquals(200, http.post("/subjects/users-value/versions", schemaBody(USER_V2_OPTIONAL_FIELD.toString())).status());
    }

    @Test
    void errorsComeAsConfluentJson() {
        register("users-value", USER_V1);

        assertError(404, 40401, http.get("/subjects/nobody-value/versions"));
        assertError(404, 40402, http.get("/subjects/users-value/versions/9"));
        assertError(422, 42202, http.get("/subjects/users-value/versions/first"));
        assertError(404, 40403, http.get("/schemas/ids/999"));
        assertError(404, 404, http.get("/no/such/route"));
        assertError(405, 405, http.call("DELETE", "/subjects", null));
        assertError(400, 400, http.post("/subjects/users-value/versions", "{\"schema\": "));
        assertError(422, 42201, http.post("/subjects/users-value/versions", schemaBody("{\"type\":\"record\",\"name\":\"NoFields\"}")));
        assertError(422, 42201, http.post("/subjects/users-value/versions", "{}"));
        assertError(422, 42201, http.post("/subjects/users-value/versions",
                "{\"schemaType\":\"PROTOBUF\",\"schema\":\"syntax = \\\"proto3\\\";\"}"));
    }

    @Test
    void refusesABodyOverTheLimitWith413() {
        String huge = schemaBody("{\"type\":\"record\",\"name\":\"Big\",\"doc\":\"" + "x".repeat(InProcessSchemaRegistry.DEFAULT_MAX_REQUEST_BYTES)
                + "\",\"fields\":[]}");

        assertError(413, 413, http.post("/subjects/big-value/versions", huge));
        assertError(404, 40401, http.get("/subjects/big-value/versions"));
    }

    @Test
    void concurrentRegistrationsOfOneSchemaShareOneId() throws Exception {
        int threads = 16;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> ids = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < threads; i++) {
                String subject = "topic" + i + "-value";
                ids.add(pool.submit(() -> {
                    go.await();
                    return http.post("/subjects/" + subject + "/versions", schemaBody(USER_V1.toString())).json().get("id").asInt();
                }));
            }
            go.countDown();
            Set<Integer> distinct = new HashSet<>();
            for (Future<Integer> id : ids) {
                distinct.add(id.get());
            }
            assertEquals(1, distinct.size(), distinct.toString());
        }
        assertEquals(threads, http.get("/subjects").json().size());
    }

    @Test
    void requiresBasicAuthWhenConfigured() {
        try (InProcessSchemaRegistry secured = new InProcessSchemaRegistry(0, java.util.Optional.of("alice:s3cret"));
             RegistryHttp anonymous = new RegistryHttp(secured.url())) {
            assertError(401, 401, anonymous.get("/subjects"));
        }
    }

    private int register(String subject, Schema schema) {
        RegistryHttp.Response response = http.post("/subjects/" + subject + "/versions", schemaBody(schema.toString()));
        assertEquals(200, response.status(), response.body());
        return response.json().get("id").asInt();
    }

    private static void assertError(int status, int errorCode, RegistryHttp.Response response) {
        assertEquals(status, response.status(), response.body());
        assertEquals("application/vnd.schemaregistry.v1+json", response.contentType());
        JsonNode body = response.json();
        assertEquals(fieldNames("error_code", "message"), fieldNames(body), response.body());
        assertEquals(errorCode, body.get("error_code").asInt(), response.body());
        assertTrue(body.get("message").isTextual() && !body.get("message").asText().isBlank(), response.body());
    }

    private static Set<String> fieldNames(String... names) {
        return Set.of(names);
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
