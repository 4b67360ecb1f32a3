package io.clipstream.config;

import io.clipstream.fetch.UrlPolicySettings;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Security settings parse into the typed configuration, and printing it shows none of the secrets. */
class SecretSettingsTest {

    private static final String API_TOKEN = "s3cret-api-token-AAAAAAAAAAAA";
    private static final String INTERNAL_TOKEN = "s3cret-peer-token-BBBBBBBBBBB";
    private static final String SASL_PASSWORD = "s3cret-sasl-CCCCCC";
    private static final String TRUSTSTORE_PASSWORD = "s3cret-trust-DDDDDD";
    private static final String REGISTRY_PASSWORD = "s3cret-registry-EEEEEE";

    @Test
    void tokensKafkaCredentialsAndRegistryCredentialsNeverAppearInToString() {
        ClipstreamConfig config = ClipstreamConfig.from(ConfigSource.of(Map.of(
                "http.auth.token", API_TOKEN,
                "http.internal.token", INTERNAL_TOKEN,
                "kafka.bootstrap.servers", "broker:9093",
                "kafka.security.protocol", "SASL_SSL",
                "kafka.sasl.mechanism", "SCRAM-SHA-512",
                "kafka.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"app\" password=\""
                        + SASL_PASSWORD + "\";",
                "kafka.ssl.truststore.password", TRUSTSTORE_PASSWORD,
                "schema.registry.url", "https://registry:8081",
                "schema.registry.basic.auth.user.info", "app:" + REGISTRY_PASSWORD)));

        String printed = config.toString();
        for (String secret : List.of(API_TOKEN, INTERNAL_TOKEN, SASL_PASSWORD, TRUSTSTORE_PASSWORD, REGISTRY_PASSWORD)) {
            assertFalse(printed.contains(secret), "config.toString() shows a secret: " + printed);
        }
        // The settings are there, only masked; the non-secret ones pass through as written.
        assertTrue(config.http().apiToken().orElseThrow().matches("Bearer " + API_TOKEN));
        assertTrue(config.http().internalToken().orElseThrow().matches("Bearer " + INTERNAL_TOKEN));
        assertTrue(config.kafka().clientOverrides().get("sasl.jaas.config").contains(SASL_PASSWORD), "passed to Kafka as is");
        assertTrue(printed.contains("security.protocol=SASL_SSL"), printed);
        assertTrue(printed.contains("sasl.jaas.config=****"), printed);
    }

    @Test
    void everySettingDefinedAsSecretIsMaskedWhenTheConfigurationIsPrinted() {
        List<Setting<?>> secrets = Settings.all().stream().filter(Setting::secret).toList();
        assertEquals(List.of("schema.registry.basic.auth.user.info", "http.auth.token", "http.internal.token"),
                secrets.stream().map(Setting::key).toList(), "the credentials among the settings");
        Map<String, String> values = new HashMap<>(Map.of("schema.registry.url", "https://registry:8081"));
        for (Setting<?> secret : secrets) {
            // user:password is also a valid bearer token: printable, no spaces, 16 characters or more.
            values.put(secret.key(), "app:s3cret-of-" + secret.key());
        }
        ClipstreamConfig config = ClipstreamConfig.from(ConfigSource.of(values));

        String printed = config.toString();
        for (Setting<?> secret : secrets) {
            assertFalse(printed.contains("s3cret-of-" + secret.key()), secret.key() + " shows in config.toString(): " + printed);
        }
        assertTrue(config.http().apiToken().isPresent() && config.requireSchemaRegistry().basicAuthUserInfo().isPresent(),
                "the secrets were read");
    }

    @Test
    void fetchPolicyDefaultsToPublicOnlyAndParsesItsAllowList() {
        ClipstreamConfig defaults = ClipstreamConfig.from(ConfigSource.of(Map.of()));
        assertEquals(UrlPolicySettings.STRICT, defaults.fetchPolicy());
        assertTrue(defaults.http().apiToken().isEmpty() && defaults.http().internalToken().isEmpty() && defaults.http().healthOpen());

        ClipstreamConfig relaxed = ClipstreamConfig.from(ConfigSource.of(Map.of("fetch.allow.private", "true",
                "fetch.allowed.hosts", " images.corp , 10.20.0.0/16,")));
        assertEquals(new UrlPolicySettings(true, List.of("images.corp", "10.20.0.0/16")), relaxed.fetchPolicy());

        ConfigException bad = assertThrows(ConfigException.class, () -> ClipstreamConfig.from(ConfigSource.of(
                Map.of("fetch.allowed.hosts", "10.0.0.0/40"))));
        assertTrue(bad.getMessage().contains("/40"), bad.getMessage());
    }

    @Test
    void aShortTokenIsRefusedWithoutEchoingIt() {
        ConfigException e = assertThrows(ConfigException.class, () -> ClipstreamConfig.from(ConfigSource.of(
                Map.of("http.auth.token", "hunter2"))));
        assertTrue(e.getMessage().contains("http.auth.token"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }
}
