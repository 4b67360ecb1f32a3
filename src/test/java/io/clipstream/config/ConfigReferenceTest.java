package io.clipstream.config;

import io.clipstream.schemaregistry.SchemaRegistryConfig;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class ConfigReferenceTest {

    /** The classes whose public static final String constants are configuration keys. */
    private static final List<Class<?>> KEY_CLASSES = List.of(ClipstreamConfig.class, KafkaSettings.class, SchemaRegistryConfig.class);

    /** Enough for ClipstreamConfig.from to read the registry settings too. */
    private static final Map<String, String> BASE = Map.of(KafkaSettings.BOOTSTRAP_SERVERS, "broker:9092",
            SchemaRegistryConfig.URL, "http://registry:8081");

    /** Every key constant, by reflection: a key added anywhere in these classes must be catalogued. */
    static Map<String, String> keyConstants() throws IllegalAccessException {
        Map<String, String> constants = new HashMap<>();
        for (Class<?> type : KEY_CLASSES) {
            for (Field field : type.getDeclaredFields()) {
                int modifiers = field.getModifiers();
                if (field.getType() == String.class && Modifier.isPublic(modifiers) && Modifier.isStatic(modifiers)
                        && Modifier.isFinal(modifiers) && !field.getName().startsWith("DEFAULT_")) {
                    constants.put(type.getSimpleName() + "." + field.getName(), (String) field.get(null));
                }
            }
        }
        return constants;
    }

    @Test
    void everyKeyConstantIsInTheCatalog() throws Exception {
        Map<String, String> constants = keyConstants();
        assertTrue(constants.size() > 50, "reflection found only " + constants.keySet());
        List<String> missing = new ArrayList<>();
        constants.forEach((field, key) -> {
            // A constant ending in a dot is a prefix (kafka.): catalogued as kafka.*.
            String catalogued = key.endsWith(".") ? key + ConfigKey.PREFIX_WILDCARD : key;
            if (ConfigReference.find(catalogued).isEmpty()) {
                missing.add(field + " = \"" + catalogued + "\"");
            }
        });
        assertTrue(missing.isEmpty(), "configuration keys missing from io.clipstream.config.ConfigReference (add an entry "
                + "with its default and meaning, then run `" + ConfigReference.REGENERATE_COMMAND + "`): " + new TreeSet<>(missing));
    }

    @Test
    void theCatalogListsOnlyKeysTheCodeNamesAndEachOnce() throws Exception {
        Set<String> named = new HashSet<>();
        keyConstants().values().forEach(key -> named.add(key.endsWith(".") ? key + ConfigKey.PREFIX_WILDCARD : key));
        Set<String> seen = new HashSet<>();
        for (ConfigKey entry : ConfigReference.keys()) {
            assertTrue(seen.add(entry.key()), "listed twice: " + entry.key());
            assertTrue(named.contains(entry.key()), entry.key() + " is catalogued but no key constant names it; "
                    + "remove the entry or declare the constant where the key is read");
        }
    }

    @Test
    void settingAKeyToItsListedDefaultChangesNothing() {
        ClipstreamConfig defaults = ClipstreamConfig.from(ConfigSource.of(BASE));
        List<String> wrong = new ArrayList<>();
        for (ConfigKey entry : ConfigReference.keys()) {
            if (entry.defaultValue() == null || entry.isPrefix()) {
                continue;
            }
            Map<String, String> values = new HashMap<>(BASE);
            values.put(entry.key(), entry.defaultValue());
            if (!ClipstreamConfig.from(ConfigSource.of(values)).equals(defaults)) {
                wrong.add(entry.key() + " = " + entry.defaultValue());
            }
        }
        assertTrue(wrong.isEmpty(), "the catalog's default differs from what the code uses when the key is unset: " + wrong);
    }

    @Test
    void theDefaultCheckWouldNoticeAWrongDefault() {
        ClipstreamConfig defaults = ClipstreamConfig.from(ConfigSource.of(BASE));
        Map<String, String> values = new HashMap<>(BASE);
        values.put(ClipstreamConfig.HTTP_PORT, "8081");
        assertFalse(ClipstreamConfig.from(ConfigSource.of(values)).equals(defaults));
        values = new HashMap<>(BASE);
        values.put(ClipstreamConfig.TOPICS_ANNOTATIONS, "other");
        assertFalse(ClipstreamConfig.from(ConfigSource.of(values)).equals(defaults));
    }

    @Test
    void environmentVariablesMapToTheirKeys() {
        assertEquals(KafkaSettings.BOOTSTRAP_SERVERS,
                ConfigReference.forEnvironmentVariable("CLIPSTREAM_KAFKA_BOOTSTRAP_SERVERS").orElseThrow().key());
        assertEquals("kafka.*", ConfigReference.forEnvironmentVariable("CLIPSTREAM_KAFKA_SASL_MECHANISM").orElseThrow().key());
        assertEquals(ClipstreamConfig.HTTP_ADVERTISED_HOST,
                ConfigReference.forEnvironmentVariable("CLIPSTREAM_HTTP_ADVERTISED_HOST").orElseThrow().key());
        assertTrue(ConfigReference.forEnvironmentVariable("CLIPSTREAM_HTTP_PORTS").isEmpty());
        assertTrue(ConfigReference.forEnvironmentVariable("CLIPSTREAM_KAFKA_").isEmpty());
    }

    @Test
    void operationsGuideHoldsTheGeneratedReference() throws Exception {
        Path guide = projectDir().resolve("docs/OPERATIONS.md");
        String document = Files.readString(guide, StandardCharsets.UTF_8);
        String section = ConfigReference.section(document).orElseGet(() -> fail(guide + " has no " + ConfigReference.START_MARKER
                + " ... " + ConfigReference.END_MARKER + " section"));
        assertEquals(ConfigReference.markdown(), section, guide + " is out of date with the settings catalog; run `"
                + ConfigReference.REGENERATE_COMMAND + "`");
    }

    @Test
    void updatingReplacesOnlyTheMarkedSection() {
        String document = "# Ops\n\nbefore\n" + ConfigReference.START_MARKER + "\nstale\n" + ConfigReference.END_MARKER + "\nafter\n";
        String updated = ConfigReference.updateSection(document);
        assertTrue(updated.startsWith("# Ops\n\nbefore\n" + ConfigReference.START_MARKER + "\n"));
        assertTrue(updated.endsWith(ConfigReference.END_MARKER + "\nafter\n"));
        assertFalse(updated.contains("stale"));
        assertEquals(ConfigReference.markdown(), ConfigReference.section(updated).orElseThrow());
        assertEquals(updated, ConfigReference.updateSection(updated), "updating twice changes nothing");
    }

    static Path projectDir() {
        return Path.of(System.getProperty("clipstream.project.dir", "."));
    }
}
