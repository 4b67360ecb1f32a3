package io.clipstream.schemaregistry;

import static io.clipstream.schemaregistry.TestSchemas.USER_ID_AS_INT;
import static io.clipstream.schemaregistry.TestSchemas.USER_V1;
import static io.clipstream.schemaregistry.TestSchemas.USER_V2_OPTIONAL_FIELD;
import static io.clipstream.schemaregistry.TestSchemas.USER_V2_REQUIRED_FIELD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.schema.ImageEvent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpSchemaRegistryClientTest {

    private static final Duration SHORT = Duration.ofSeconds(2);

    private InProcessSchemaRegistry registry;
    private HttpSchemaRegistryClient client;

    @BeforeEach
    void start() {
        registry = new InProcessSchemaRegistry();
        client = newClient(registry.url());
    }

    @AfterEach
    void stop() {
        client.close();
        registry.close();
    }

    @Test
    void registersLooksUpAndFetchesById() {
        Schema schema = ImageEvent.getClassSchema();
        int id = client.register("media.images-value", schema);

        assertEquals(id, client.idOf("media.images-value", schema));
        try (HttpSchemaRegistryClient fresh = newClient(registry.url())) { // empty caches: really asks the registry
            assertEquals(id, fresh.idOf("media.images-value", schema));
            assertEquals(schema, fresh.getById(id));
        }
    }

    @Test
    void theSameSchemaTwiceGetsTheSameIdAndOneVersion() {
        int first = client.register("users-value", USER_V1);
        try (HttpSchemaRegistryClient fresh = newClient(registry.url())) {
            assertEquals(first, fresh.register("users-value", USER_V1));
        }
        try (RegistryHttp http = new RegistryHttp(registry.url())) {
            assertEquals("[1]", http.get("/subjects/users-value/versions").body());
        }
    }

    @Test
    void idsAreGlobalAcrossSubjects() {
        int a = client.register("a-value", USER_V1);
        int b = client.register("b-value", USER_V1);
        int other = client.register("c-value", USER_ID_AS_INT);

        assertEquals(a, b);
        assertNotEquals(a, other);
    }

    @Test
    void refusesAnIncompatibleChangeUnderBackwardWith409() {
        client.register("users-value", USER_V1);

        SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
                () -> client.register("users-value", USER_V2_REQUIRED_FIELD));

        assertEquals(409, e.errorCode());
        assertEquals(409, e.httpStatus());
        assertEquals(SchemaRegistryException.Kind.INCOMPATIBLE_SCHEMA, e.kind());
        assertTrue(e.getMessage().contains("users-value"), e.getMessage());
        assertTrue(e.getMessage().contains(registry.url().toString()), e.getMessage());
        // A compatible change still goes through, as version 2 with a new id.
        assertNotEquals(client.idOf("users-value", USER_V1), client.register("users-value", USER_V2_OPTIONAL_FIELD));
    }

    @Test
    void answersCompatibilityQuestions() {
        assertTrue(client.isCompatible("users-value", USER_V2_REQUIRED_FIELD), "a subject with no versions accepts anything");
        client.register("users-value", USER_V1);

        assertTrue(client.isCompatible("users-value", USER_V2_OPTIONAL_FIELD));
        assertFalse(client.isCompatible("users-value", USER_V2_REQUIRED_FIELD));
        assertFalse(client.isCompatible("users-value", USER_ID_AS_INT));
    }

    @Test
    void anUnknownIdIsATyped40403() {
        SchemaRegistryException e = assertThrows(SchemaRegistryException.class, () -> client.getById(42));

        assertEquals(SchemaRegistryException.SCHEMA_NOT_FOUND, e.errorCode());
        assertEquals(SchemaRegistryException.Kind.SCHEMA_NOT_FOUND, e.kind());
        assertEquals("schema id 42 is not known to the registry at " + registry.url()
                + "; was the record produced against another registry?", e.getMessage());
    }

    @Test
    void lookingUpWhatWasNeverRegisteredIsTyped() {
        SchemaRegistryException noSubject = assertThrows(SchemaRegistryException.class, () -> client.idOf("nobody-value", USER_V1));
        assertEquals(SchemaRegistryException.SUBJECT_NOT_FOUND, noSubject.errorCode());
        assertTrue(noSubject.getMessage().contains("schema.registry.auto.register"), noSubject.getMessage());

        client.register("users-value", USER_V1);
        SchemaRegistryException noSchema = assertThrows(SchemaRegistryException.class,
                () -> client.idOf("users-value", USER_V2_OPTIONAL_FIELD));
        assertEquals(SchemaRegistryException.SCHEMA_NOT_FOUND, noSchema.errorCode());
        assertTrue(noSchema.getMessage().contains("not registered under subject 'users-value'"), noSchema.getMessage());
    }

    @Test
    void encodesSubjectsThatAreNotPlainPathSegments() {
        String subject = "odd/topic name+1-value";
        int id = client.register(subject, USER_V1);

        try (HttpSchemaRegistryClient fresh = newClient(registry.url())) {
            assertEquals(id, fresh.idOf(subject, USER_V1));
        }
        try (RegistryHttp http = new RegistryHttp(registry.url())) {
            assertEquals(subject, http.get("/subjects").json().get(0).asText());
        }
    }

    @Test
    void basicAuthWrongPasswordIsATyped401AndTheRightOneWorks() {
        try (InProcessSchemaRegistry secured = new InProcessSchemaRegistry(0, Optional.of("alice:s3cret"))) {
            SchemaRegistryConfig base = SchemaRegistryConfig.of(secured.url().toString()).withRequestTimeout(SHORT);

            try (HttpSchemaRegistryClient wrong = new HttpSchemaRegistryClient(base.withBasicAuthUserInfo("alice:wrongpass"))) {
                SchemaRegistryException e = assertThrows(SchemaRegistryException.class, () -> wrong.register("users-value", USER_V1));
                assertEquals(401, e.errorCode());
                assertEquals(SchemaRegistryException.Kind.UNAUTHORIZED, e.kind());
                assertTrue(e.getMessage().contains("check schema.registry.basic.auth.user.info"), e.getMessage());
                assertNoSecret(e, "wrongpass");
            }
            try (HttpSchemaRegistryClient none = new HttpSchemaRegistryClient(base)) {
                assertEquals(401, assertThrows(SchemaRegistryException.class, () -> none.getById(1)).errorCode());
            }
            try (HttpSchemaRegistryClient right = new HttpSchemaRegistryClient(base.withBasicAuthUserInfo("alice:s3cret"))) {
                int id = right.register("users-value", USER_V1);
                assertEquals(USER_V1, right.getById(id));
            }
            String withCredentials = secured.url().toString().replace("http://", "http://alice:s3cret@");
            try (HttpSchemaRegistryClient inUrl = new HttpSchemaRegistryClient(SchemaRegistryConfig.of(withCredentials))) {
                assertEquals(1, inUrl.idOf("users-value", USER_V1));
            }
        }
    }

    @Test
    void aClosedPortIsATypedUnreachableErrorWithoutThePassword() {
        URI closed = registry.url();
        registry.close();
        String withCredentials = closed.toString().replace("http://", "http://alice:hunter2@");

        try (HttpSchemaRegistryClient unreachable = new HttpSchemaRegistryClient(
                SchemaRegistryConfig.of(withCredentials).withRequestTimeout(SHORT))) {
            SchemaRegistryException e = assertThrows(SchemaRegistryException.class, () -> unreachable.register("users-value", USER_V1));

            assertEquals(SchemaRegistryException.UNREACHABLE, e.errorCode());
            assertEquals(SchemaRegistryException.Kind.UNREACHABLE, e.kind());
            assertEquals("schema registry at " + closed + " is unreachable (Connection refused);"
                    + " check schema.registry.url and that the registry is running", e.getMessage());
            assertEquals(closed.toString(), e.registryUrl());
            assertNoSecret(e, "hunter2");
            assertFalse(unreachable.toString().contains("hunter2"), unreachable.toString());
        }
    }

    @Test
    void aRegistryThatNeverAnswersIsATypedTimeout() throws IOException {
        // The kernel completes the TCP handshake for the backlog; nobody ever reads or answers.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            URI url = URI.create("http://127.0.0.1:" + silent.getLocalPort());
            try (HttpSchemaRegistryClient waiting = new HttpSchemaRegistryClient(
                    SchemaRegistryConfig.of(url.toString()).withRequestTimeout(Duration.ofMillis(300)))) {
                SchemaRegistryException e = assertThrows(SchemaRegistryException.class, () -> waiting.getById(1));

                assertEquals(SchemaRegistryException.Kind.TIMEOUT, e.kind());
                assertTrue(e.getMessage().contains("did not answer within 300 ms"), e.getMessage());
                assertTrue(e.getMessage().contains("schema.registry.timeout.ms"), e.getMessage());
            }
        }
    }

    @Test
    void triesTheNextUrlWhenOneIsUnreachable() {
        URI closed;
        try (InProcessSchemaRegistry gone = new InProcessSchemaRegistry()) {
            closed = gone.url();
        }
        SchemaRegistryConfig config = new SchemaRegistryConfig(List.of(closed, registry.url()), Optional.empty(), SHORT, true, 100);
        try (HttpSchemaRegistryClient failover = new HttpSchemaRegistryClient(config)) {
            int id = failover.register("users-value", USER_V1);

            assertEquals(id, client.idOf("users-value", USER_V1));
        }
    }

    @Test
    void servesKnownIdsAndRegistrationsFromItsCacheOnceTheRegistryIsGone() {
        int id = client.register("users-value", USER_V1);
        registry.close();

        assertEquals(USER_V1, client.getById(id));
        assertEquals(id, client.register("users-value", USER_V1));
        assertEquals(id, client.idOf("users-value", USER_V1));
        // Compatibility answers can change, so they are not cached.
        assertEquals(SchemaRegistryException.Kind.UNREACHABLE,
                assertThrows(SchemaRegistryException.class, () -> client.isCompatible("users-value", USER_V1)).kind());
    }

    @Test
    void rejectsAnAnswerThatIsNotTheRegistryProtocol() throws Exception {
        // A registry URL that points at some other JSON service.
        var other = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        other.createContext("/", exchange -> {
            byte[] body = "{\"status\":\"ok\"}".getBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        other.start();
        try (HttpSchemaRegistryClient confused = newClient(URI.create("http://127.0.0.1:" + other.getAddress().getPort()))) {
            SchemaRegistryException e = assertThrows(SchemaRegistryException.class, () -> confused.register("users-value", USER_V1));
            assertEquals(SchemaRegistryException.Kind.INVALID_RESPONSE, e.kind());
            assertTrue(e.getMessage().contains("has no integer 'id'"), e.getMessage());
        } finally {
            other.stop(0);
        }
    }

    private static HttpSchemaRegistryClient newClient(URI url) {
        return new HttpSchemaRegistryClient(SchemaRegistryConfig.of(url.toString()).withRequestTimeout(SHORT));
    }

    /** The secret must appear nowhere a user or a log could see it: message, URL field, or any cause. */
    private static void assertNoSecret(Throwable error, String secret) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t).contains(secret), "secret leaked in " + t);
        }
        if (error instanceof SchemaRegistryException e) {
            assertFalse(e.registryUrl().contains(secret), e.registryUrl());
        }
    }
}
