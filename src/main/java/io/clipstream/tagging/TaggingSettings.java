package io.clipstream.tagging;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The label vocabulary scored against every embedded image, the prompt templates each label is
 * put into, and how many of the best labels an image keeps. Tagging is off when there are no
 * labels.
 *
 * @param labels    distinct labels in the order given; empty turns tagging off
 * @param templates prompts with {@code {}} where the label goes; a label's vector is the mean of its prompts' vectors
 * @param top       labels kept per image, best first
 */
public record TaggingSettings(List<String> labels, List<String> templates, int top) {

    public static final List<String> DEFAULT_TEMPLATES = List.of("{}", "a drawing of a {}", "a photo of a {}");
    public static final int DEFAULT_TOP = 3;
    private static final String CLASSPATH = "classpath:";
    public static final TaggingSettings OFF = new TaggingSettings(List.of(), DEFAULT_TEMPLATES, DEFAULT_TOP);

    public TaggingSettings {
        labels = List.copyOf(new LinkedHashSet<>(labels));
        templates = List.copyOf(templates);
        for (String label : labels) {
            if (label.isBlank()) {
                throw new IllegalArgumentException("tagging.labels: a label is blank; give words such as 'dog'");
            }
        }
        if (templates.isEmpty()) {
            throw new IllegalArgumentException("tagging.templates is empty; give at least one, such as '{}' or 'a photo of a {}'");
        }
        for (String template : templates) {
            if (!template.contains("{}")) {
                throw new IllegalArgumentException("tagging.templates: '" + template
                        + "' has no {} where the label goes; write it as 'a photo of a {}'");
            }
        }
        if (top < 1) {
            throw new IllegalArgumentException("tagging.top must be at least 1, got " + top);
        }
    }

    public boolean enabled() {
        return !labels.isEmpty();
    }

    /** The prompt for one label and template. */
    public static String prompt(String template, String label) {
        return template.replace("{}", label);
    }

    /**
     * Labels from a file (one a line; blank lines and lines starting with # are skipped) followed by
     * a comma-separated list; either may be absent. The file is a path, or {@code classpath:name}
     * for a resource in the jar (the demo's vocabulary).
     */
    public static List<String> readLabels(String file, String commaList) {
        Set<String> labels = new LinkedHashSet<>();
        if (file != null && !file.isBlank()) {
            for (String line : readLines(file.strip())) {
                String label = line.strip();
                if (!label.isEmpty() && !label.startsWith("#")) {
                    labels.add(label);
                }
            }
            if (labels.isEmpty()) {
                throw new IllegalArgumentException("tagging.labels.file: " + file + " holds no labels; put one a line");
            }
        }
        labels.addAll(split(commaList, ","));
        return new ArrayList<>(labels);
    }

    private static List<String> readLines(String location) {
        try {
            if (location.startsWith(CLASSPATH)) {
                String name = location.substring(CLASSPATH.length()).replaceFirst("^/", "");
                try (InputStream in = TaggingSettings.class.getClassLoader().getResourceAsStream(name)) {
                    if (in == null) {
                        throw new IllegalArgumentException("tagging.labels.file: no resource '" + name
                                + "' on the classpath; give a file path or an existing classpath: resource");
                    }
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
                }
            }
            return Files.readAllLines(Path.of(location), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("tagging.labels.file: cannot read " + location + " (" + e.getMessage()
                    + "); give a UTF-8 text file with one label a line", e);
        }
    }

    /** Templates separated by '|' (a template may contain commas). */
    public static List<String> parseTemplates(String value) {
        List<String> templates = split(value, "\\|");
        return templates.isEmpty() ? DEFAULT_TEMPLATES : templates;
    }

    private static List<String> split(String value, String separator) {
        List<String> parts = new ArrayList<>();
        if (value == null) {
            return parts;
        }
        for (String part : value.split(separator)) {
            if (!part.isBlank()) {
                parts.add(part.strip());
            }
        }
        return parts;
    }
}
