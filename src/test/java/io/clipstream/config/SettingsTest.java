package io.clipstream.config;

import io.clipstream.schemaregistry.SchemaRegistryConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The definitions in {@link Settings} are what {@link ClipstreamConfig#from} reads, with the defaults they document. */
class SettingsTest {

    /** Enough for ClipstreamConfig.from to read the registry settings too. */
    private static final Map<String, String> BASE = Map.of(Settings.KAFKA_BOOTSTRAP_SERVERS.key(), "broker:9092",
            SchemaRegistryConfig.URL, "http://registry:8081");
    /** Not a valid number, duration, boolean, role, device, URL or token; a valid topic or host name. */
    private static final String ODD = "odd-value-7";
    private static final ClipstreamConfig DEFAULTS = ClipstreamConfig.from(ConfigSource.of(BASE));

    @Test
    void settingAKeyToItsDocumentedDefaultChangesNothing() {
        List<String> wrong = new ArrayList<>();
        for (Setting<?> setting : Settings.all()) {
            setting.documentedDefault().ifPresent(value -> {
                if (!ClipstreamConfig.from(ConfigSource.of(with(setting.key(), value))).equals(DEFAULTS)) {
                    wrong.add(setting.key() + " = " + value);
                }
            });
        }
        assertTrue(wrong.isEmpty(), "the documented default differs from what the code uses when the key is unset: " + wrong);
    }

    @Test
    void theDefaultCheckWouldNoticeAWrongDefault() {
        assertFalse(ClipstreamConfig.from(ConfigSource.of(with(Settings.HTTP_PORT.key(), "8081"))).equals(DEFAULTS));
        assertFalse(ClipstreamConfig.from(ConfigSource.of(with(Settings.TOPICS_ANNOTATIONS.key(), "other"))).equals(DEFAULTS));
    }

    /** A setting defined but never read would be documented and silently ignored. */
    @Test
    void everySettingChangesTheConfigurationOrIsRefusedNamingIt() {
        List<String> ignored = new ArrayList<>();
        List<String> unnamed = new ArrayList<>();
        for (Setting<?> setting : Settings.all()) {
            String key = sampleKey(setting);
            Outcome outcome = Outcome.of(ConfigSource.of(with(key, ODD)));
            if (outcome.error() != null && !outcome.error().contains(key)) {
                unnamed.add(key + " = " + ODD + ": " + outcome.error());
            } else if (outcome.error() == null && outcome.config().equals(DEFAULTS)) {
                ignored.add(key);
            }
        }
        assertTrue(ignored.isEmpty(), "defined but not read by ClipstreamConfig.from: " + ignored);
        assertTrue(unnamed.isEmpty(), "refused without naming the key:\n" + String.join("\n", unnamed));
    }

    @Test
    void refusedNumbersNameTheKeyTheValueAndTheEnvironmentVariable() {
        for (Setting<?> setting : List.of(Settings.HTTP_PORT, Settings.FETCH_TIMEOUT_MS, Settings.STATE_BLOCK_CACHE_MB,
                Settings.DEVICE_STRICT, Settings.TOPICS_REPLICATION_FACTOR)) {
            String error = Outcome.of(ConfigSource.of(with(setting.key(), ODD))).error();
            assertTrue(error != null && error.contains(setting.key()) && error.contains("'" + ODD + "'")
                    && error.contains(setting.environmentVariable()), setting.key() + ": " + error);
        }
    }

    @Test
    void anEnvironmentVariableSetsItsSettingAsThePropertiesFileWould() {
        List<String> different = new ArrayList<>();
        for (Setting<?> setting : Settings.all()) {
            String key = sampleKey(setting);
            Outcome fromFile = Outcome.of(new ConfigSource(with(key, ODD), Map.of(), "test"));
            Outcome fromEnvironment = Outcome.of(new ConfigSource(BASE, Map.of(ConfigSource.environmentName(key), ODD), "test"));
            if (!fromFile.equals(fromEnvironment)) {
                different.add(key + ": " + fromFile + " but from " + ConfigSource.environmentName(key) + ": " + fromEnvironment);
            }
        }
        assertTrue(different.isEmpty(), String.join("\n", different));
    }

    @Test
    void anEnvironmentVariableWinsOverThePropertiesFile() {
        List<String> lost = new ArrayList<>();
        for (Setting<?> setting : Settings.all()) {
            setting.documentedDefault().ifPresent(value -> {
                ConfigSource source = new ConfigSource(with(setting.key(), ODD),
                        Map.of(setting.environmentVariable(), value), "test");
                if (!Outcome.of(source).equals(new Outcome(DEFAULTS, null))) {
                    lost.add(setting.environmentVariable() + " = " + value + " over " + setting.key() + " = " + ODD);
                }
            });
        }
        assertTrue(lost.isEmpty(), "the properties file won: " + lost);
    }

    @Test
    void theKafkaPrefixPassesAnyClientSettingOnWithThePrefixRemoved() {
        ClipstreamConfig config = ClipstreamConfig.from(new ConfigSource(with("kafka.session.timeout.ms", "10000"),
                Map.of("CLIPSTREAM_KAFKA_SASL_MECHANISM", "PLAIN"), "test"));
        assertEquals(Map.of("session.timeout.ms", "10000", "sasl.mechanism", "PLAIN"), config.kafka().clientOverrides());
        assertEquals("broker:9092", config.kafka().requireBootstrapServers());
    }

    /** A key the setting reads: itself, or one under the prefix. */
    private static String sampleKey(Setting<?> setting) {
        return setting.isPrefix() ? setting.prefix() + "some.client.setting" : setting.key();
    }

    private static Map<String, String> with(String key, String value) {
        Map<String, String> values = new HashMap<>(BASE);
        values.put(key, value);
        return values;
    }

    /** What ClipstreamConfig.from made of a source: the configuration, or the message it was refused with. */
    private record Outcome(ClipstreamConfig config, String error) {
        static Outcome of(ConfigSource source) {
            try {
                return new Outcome(ClipstreamConfig.from(source), null);
            } catch (ConfigException e) {
                return new Outcome(null, e.getMessage());
            }
        }
    }
}
