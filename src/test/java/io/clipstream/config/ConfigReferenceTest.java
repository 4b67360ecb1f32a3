package io.clipstream.config;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The reference in docs/OPERATIONS.md is generated from the definitions, lists all of them, and is up to date. */
class ConfigReferenceTest {

    @Test
    void everySettingHasARowWithItsEnvironmentVariableTypeAndDefault() {
        String markdown = ConfigReference.markdown();
        List<String> missing = new ArrayList<>();
        for (Setting<?> setting : Settings.all()) {
            String row = "| `" + setting.key() + "` | `" + setting.environmentVariable() + "` | " + setting.type().name();
            if (!markdown.contains(row)) {
                missing.add(row);
            }
        }
        assertTrue(missing.isEmpty(), "rows missing from the generated reference: " + missing);
        assertTrue(markdown.contains("| `http.port` | `CLIPSTREAM_HTTP_PORT` | integer | `8080` |"), markdown);
        assertTrue(markdown.contains("| `topics.replication.factor` | `CLIPSTREAM_TOPICS_REPLICATION_FACTOR` | integer | (unset) |"),
                markdown);
        assertTrue(markdown.contains("| `fetch.allowed.hosts` | `CLIPSTREAM_FETCH_ALLOWED_HOSTS` | text | (empty) |"), markdown);
    }

    @Test
    void secretSettingsAreSaidToBeSecret() {
        String markdown = ConfigReference.markdown();
        assertTrue(markdown.contains("| `http.auth.token` | `CLIPSTREAM_HTTP_AUTH_TOKEN` | text, secret: never logged | (unset) |"),
                markdown);
        assertFalse(markdown.contains("| `http.port` | `CLIPSTREAM_HTTP_PORT` | integer, secret"), markdown);
    }

    @Test
    void eachKeyAndEachEnvironmentVariableBelongsToOneSetting() {
        Set<String> keys = new HashSet<>();
        Set<String> variables = new HashSet<>();
        for (Setting<?> setting : Settings.all()) {
            assertTrue(keys.add(setting.key()), "defined twice: " + setting.key());
            // a.b and a-b would share CLIPSTREAM_A_B, and only one of them could be set from the environment.
            assertTrue(variables.add(setting.environmentVariable()), setting.key() + " shares "
                    + setting.environmentVariable() + " with another setting");
        }
        assertTrue(keys.size() > 80, "only " + keys.size() + " settings defined");
    }

    @Test
    void environmentVariablesMapToTheirKeys() {
        assertEquals("kafka.bootstrap.servers",
                ConfigReference.forEnvironmentVariable("CLIPSTREAM_KAFKA_BOOTSTRAP_SERVERS").orElseThrow().key());
        assertEquals("kafka.*", ConfigReference.forEnvironmentVariable("CLIPSTREAM_KAFKA_SASL_MECHANISM").orElseThrow().key());
        assertEquals(Settings.HTTP_ADVERTISED_HOST,
                ConfigReference.forEnvironmentVariable("CLIPSTREAM_HTTP_ADVERTISED_HOST").orElseThrow());
        assertTrue(ConfigReference.forEnvironmentVariable("CLIPSTREAM_HTTP_PORTS").isEmpty());
        assertTrue(ConfigReference.forEnvironmentVariable("CLIPSTREAM_KAFKA_").isEmpty());
    }

    @Test
    void operationsGuideHoldsTheGeneratedReference() throws Exception {
        Path guide = projectDir().resolve("docs/OPERATIONS.md");
        String document = Files.readString(guide, StandardCharsets.UTF_8);
        String section = ConfigReference.section(document).orElseGet(() -> fail(guide + " has no " + ConfigReference.START_MARKER
                + " ... " + ConfigReference.END_MARKER + " section"));
        assertEquals(ConfigReference.markdown(), section, guide + " is out of date with io.clipstream.config.Settings; run `"
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
