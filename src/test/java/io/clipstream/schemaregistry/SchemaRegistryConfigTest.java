package io.clipstream.schemaregistry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SchemaRegistryConfigTest {

    @Test
    void readsTheSchemaRegistryKeys() {
        SchemaRegistryConfig config = SchemaRegistryConfig.fromProperties(Map.of(
                "schema.registry.url", " http://a:8081/ , https://b:8082/apis/ccompat/v7",
                "schema.registry.basic.auth.user.info", "alice:s3cret",
                "schema.registry.auto.register", "false",
                "schema.registry.timeout.ms", "2500"));

        assertEquals(List.of(URI.create("http://a:8081"), URI.create("https://b:8082/apis/ccompat/v7")), config.urls());
        assertEquals(Optional.of("alice:s3cret"), config.basicAuthUserInfo());
        assertFalse(config.autoRegister());
        assertEquals(Duration.ofMillis(2500), config.requestTimeout());
    }

    @Test
    void defaultsToAutoRegisterAndNoCredentials() {
        SchemaRegistryConfig config = SchemaRegistryConfig.fromProperties(Map.of("schema.registry.url", "http://a:8081"));

        assertTrue(config.autoRegister());
        assertEquals(Optional.empty(), config.basicAuthUserInfo());
        assertEquals(SchemaRegistryConfig.DEFAULT_REQUEST_TIMEOUT, config.requestTimeout());
    }

    @Test
    void movesCredentialsOutOfTheUrl() {
        SchemaRegistryConfig config = SchemaRegistryConfig.of("http://bob:pa%3Ass@registry:8081/prefix/");

        assertEquals(List.of(URI.create("http://registry:8081/prefix")), config.urls());
        assertEquals(Optional.of("bob:pa:ss"), config.basicAuthUserInfo());
    }

    @Test
    void explicitCredentialsWinOverTheUrl() {
        SchemaRegistryConfig config = SchemaRegistryConfig.fromProperties(Map.of(
                "schema.registry.url", "http://bob:fromurl@registry:8081",
                "schema.registry.basic.auth.user.info", "alice:explicit"));

        assertEquals(Optional.of("alice:explicit"), config.basicAuthUserInfo());
    }

    @Test
    void toStringHidesThePassword() {
        SchemaRegistryConfig config = SchemaRegistryConfig.of("http://bob:hunter2@registry:8081");

        assertFalse(config.toString().contains("hunter2"), config.toString());
        assertTrue(config.toString().contains("http://registry:8081"), config.toString());
    }

    @Test
    void rejectsABadUrlWithoutEchoingItsPassword() {
        IllegalArgumentException notAUri = assertThrows(IllegalArgumentException.class,
                () -> SchemaRegistryConfig.of("http://bob:hunter2@bad host:8081"));
        assertTrue(notAUri.getMessage().contains("schema.registry.url"), notAUri.getMessage());
        assertFalse(notAUri.getMessage().contains("hunter2"), notAUri.getMessage());

        IllegalArgumentException wrongScheme = assertThrows(IllegalArgumentException.class,
                () -> SchemaRegistryConfig.of("ftp://bob:hunter2@registry:8081"));
        assertFalse(wrongScheme.getMessage().contains("hunter2"), wrongScheme.getMessage());
    }

    @Test
    void rejectsUserInfoWithoutAColonWithoutEchoingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SchemaRegistryConfig.fromProperties(Map.of(
                "schema.registry.url", "http://a:8081",
                "schema.registry.basic.auth.user.info", "justatoken")));
        assertTrue(e.getMessage().contains("schema.registry.basic.auth.user.info"), e.getMessage());
        assertFalse(e.getMessage().contains("justatoken"), e.getMessage());
    }

    @Test
    void namesTheMissingKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SchemaRegistryConfig.fromProperties(Map.of()));
        assertTrue(e.getMessage().contains("schema.registry.url"), e.getMessage());
    }
}
