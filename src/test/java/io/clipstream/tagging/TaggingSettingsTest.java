package io.clipstream.tagging;

import io.clipstream.config.ClipstreamConfig;
import io.clipstream.config.ConfigException;
import io.clipstream.config.ConfigSource;
import io.clipstream.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaggingSettingsTest {

    @TempDir
    Path dir;

    static TaggingSettings from(Map<String, String> values) {
        return ClipstreamConfig.from(ConfigSource.of(values)).tagging();
    }

    @Test
    void offWithoutLabels() {
        TaggingSettings settings = from(Map.of());
        assertFalse(settings.enabled());
        assertEquals(3, settings.top());
        assertEquals(TaggingSettings.DEFAULT_TEMPLATES, settings.templates());
    }

    @Test
    void labelsFromAFileAndACommaListTemplatesAndTop() throws Exception {
        Path file = dir.resolve("labels.txt");
        Files.writeString(file, "# animals\ndog\n\n  cat  \ndog\n");
        TaggingSettings settings = from(Map.of(Settings.TAGGING_LABELS_FILE.key(), file.toString(),
                Settings.TAGGING_LABELS.key(), "car, hot air balloon,cat", Settings.TAGGING_TEMPLATES.key(),
                "a photo of a {}| a drawing, in ink, of a {}", Settings.TAGGING_TOP.key(), "2"));
        assertTrue(settings.enabled());
        assertEquals(List.of("dog", "cat", "car", "hot air balloon"), settings.labels());
        assertEquals(List.of("a photo of a {}", "a drawing, in ink, of a {}"), settings.templates());
        assertEquals(2, settings.top());
        assertEquals("a drawing, in ink, of a dog", TaggingSettings.prompt(settings.templates().get(1), "dog"));
    }

    @Test
    void theDemoVocabularyIsOnTheClasspath() {
        List<String> labels = TaggingSettings.readLabels("classpath:demo/labels.txt", null);
        assertTrue(labels.size() >= 20, labels.toString());
        assertTrue(labels.contains("house") && labels.contains("flag"), labels.toString());
        assertTrue(labels.stream().noneMatch(l -> l.startsWith("#") || l.isBlank()));
    }

    @Test
    void badSettingsSayWhatToFix() {
        assertMessage(Map.of(Settings.TAGGING_LABELS_FILE.key(), dir.resolve("missing.txt").toString()), "cannot read");
        assertMessage(Map.of(Settings.TAGGING_LABELS_FILE.key(), "classpath:nothing/here.txt"), "no resource");
        assertMessage(Map.of(Settings.TAGGING_LABELS.key(), "dog", Settings.TAGGING_TEMPLATES.key(), "a photo"),
                "has no {}");
        assertMessage(Map.of(Settings.TAGGING_LABELS.key(), "dog", Settings.TAGGING_TOP.key(), "0"), "at least 1");
    }

    @Test
    void aFileWithoutLabelsIsAnError() throws Exception {
        Path file = dir.resolve("empty.txt");
        Files.writeString(file, "# nothing\n\n");
        assertMessage(Map.of(Settings.TAGGING_LABELS_FILE.key(), file.toString()), "holds no labels");
    }

    static void assertMessage(Map<String, String> values, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> from(values));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
