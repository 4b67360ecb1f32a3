package io.clipstream.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Where configuration values come from, in increasing precedence: the built-in default, a
 * properties file, then environment variables ({@code image.max.bytes} is overridden by
 * {@code CLIPSTREAM_IMAGE_MAX_BYTES}). Only {@link ClipstreamConfig} reads from it; everything else
 * receives typed values.
 */
public final class ConfigSource {

    private static final String ENV_PREFIX = "CLIPSTREAM_";

    private final Map<String, String> fileValues;
    private final Map<String, String> environment;
    private final String origin;

    ConfigSource(Map<String, String> fileValues, Map<String, String> environment, String origin) {
        this.fileValues = Map.copyOf(fileValues);
        this.environment = Map.copyOf(environment);
        this.origin = origin;
    }

    public static ConfigSource of(Map<String, String> values) {
        return new ConfigSource(values, Map.of(), "given properties");
    }

    public static ConfigSource fromEnvironment() {
        return new ConfigSource(Map.of(), System.getenv(), "environment");
    }

    /** Reads {@code file} (Java properties syntax) with the process environment on top. */
    public static ConfigSource load(Path file, Map<String, String> environment) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage()
                    + "; check the path given to --config", e);
        }
        Map<String, String> values = new TreeMap<>();
        properties.stringPropertyNames().forEach(name -> values.put(name.trim(), properties.getProperty(name).trim()));
        return new ConfigSource(values, environment, file.toString());
    }

    /** This source with {@code overrides} on top of everything (used by embedded mode and tests). */
    public ConfigSource withOverrides(Map<String, String> overrides) {
        Map<String, String> merged = new TreeMap<>(fileValues);
        Map<String, String> environmentLeft = new TreeMap<>(environment);
        overrides.forEach((key, value) -> {
            merged.put(key, value);
            environmentLeft.remove(environmentName(key));
        });
        return new ConfigSource(merged, environmentLeft, origin);
    }

    /** The environment variable that overrides {@code key}. */
    public static String environmentName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public Optional<String> find(String key) {
        String fromEnvironment = environment.get(environmentName(key));
        if (fromEnvironment != null) {
            return Optional.of(fromEnvironment.trim());
        }
        return Optional.ofNullable(fileValues.get(key));
    }

    public String string(String key, String defaultValue) {
        return find(key).orElse(defaultValue);
    }

    public int integer(String key, int defaultValue) {
        return parse(key, defaultValue, Integer::parseInt, "an integer");
    }

    public long longValue(String key, long defaultValue) {
        return parse(key, defaultValue, Long::parseLong, "an integer");
    }

    public boolean bool(String key, boolean defaultValue) {
        return parse(key, defaultValue, value -> switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException(value);
        }, "true or false");
    }

    public Duration millis(String key, Duration defaultValue) {
        return parse(key, defaultValue, value -> Duration.ofMillis(Long.parseLong(value)), "a number of milliseconds");
    }

    public Path path(String key, Path defaultValue) {
        return find(key).map(Path::of).orElse(defaultValue);
    }

    /**
     * All values whose key starts with {@code prefix}, prefix removed. Environment variables count
     * too ({@code CLIPSTREAM_KAFKA_SASL_MECHANISM} gives {@code sasl.mechanism} for prefix
     * {@code kafka.}), since a passthrough key cannot be known in advance.
     */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> result = new TreeMap<>();
        fileValues.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                result.put(key.substring(prefix.length()), value);
            }
        });
        String environmentPrefix = environmentName(prefix);
        environment.forEach((name, value) -> {
            if (name.startsWith(environmentPrefix) && name.length() > environmentPrefix.length()) {
                result.put(name.substring(environmentPrefix.length()).toLowerCase(Locale.ROOT).replace('_', '.'), value.trim());
            }
        });
        return result;
    }

    /** The integer {@code key} is set to, if it is set; for settings whose absence means something of its own. */
    public Optional<Integer> findInteger(String key) {
        return parsed(key, Integer::parseInt, "an integer");
    }

    private <T> T parse(String key, T defaultValue, Function<String, T> parser, String expected) {
        return parsed(key, parser, expected).orElse(defaultValue);
    }

    private <T> Optional<T> parsed(String key, Function<String, T> parser, String expected) {
        Optional<String> raw = find(key);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(parser.apply(raw.get()));
        } catch (RuntimeException e) {
            throw new ConfigException("setting " + key + " = '" + raw.get() + "' (from " + origin + " or "
                    + environmentName(key) + ") is not " + expected);
        }
    }
}
