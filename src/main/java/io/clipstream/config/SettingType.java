package io.clipstream.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * How a setting's text becomes its value, and how its default is written in the configuration
 * reference. Reading goes through {@link ConfigSource}, so that a malformed value is refused with
 * the same message, naming the key and its environment variable, whatever the setting.
 *
 * @param name   the type as the reference shows it
 * @param reader the value from a source, or the default when the key is unset
 * @param format the default as an operator would write it; null when the default is "unset"
 */
public record SettingType<T>(String name, Reader<T> reader, Function<T, String> format) {

    /** Reads one key from a source. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(ConfigSource source, String key, T defaultValue);
    }

    public static final SettingType<String> TEXT = new SettingType<>("text", ConfigSource::string, value -> value);
    public static final SettingType<Integer> INTEGER = new SettingType<>("integer",
            (source, key, defaultValue) -> source.integer(key, defaultValue), String::valueOf);
    public static final SettingType<Long> LONG = new SettingType<>("integer",
            (source, key, defaultValue) -> source.longValue(key, defaultValue), String::valueOf);
    public static final SettingType<Boolean> BOOLEAN = new SettingType<>("boolean",
            (source, key, defaultValue) -> source.bool(key, defaultValue), String::valueOf);
    public static final SettingType<Duration> MILLIS = new SettingType<>("milliseconds", ConfigSource::millis,
            value -> Long.toString(value.toMillis()));
    public static final SettingType<Path> PATH = new SettingType<>("path", ConfigSource::path, Path::toString);
    /** A float; its message predates the shared one and is kept, since operators may match on it. */
    public static final SettingType<Float> NUMBER = new SettingType<>("number",
            (source, key, defaultValue) -> source.find(key).map(value -> parseFloat(key, value)).orElse(defaultValue),
            String::valueOf);
    /** Text whose absence means something of its own (a token not required, a URL not configured). */
    public static final SettingType<Optional<String>> OPTIONAL_TEXT = new SettingType<>("text",
            (source, key, defaultValue) -> source.find(key), value -> null);
    /** An integer whose absence means something of its own (one thread per core, the broker's default). */
    public static final SettingType<Optional<Integer>> OPTIONAL_INTEGER = new SettingType<>("integer",
            (source, key, defaultValue) -> source.findInteger(key), value -> null);
    /** Every key under a prefix, prefix removed: settings passed on as they are ({@code kafka.*}). */
    public static final SettingType<Map<String, String>> PREFIX = new SettingType<>("any",
            (source, key, defaultValue) -> source.withPrefix(Setting.prefixOf(key)), value -> null);

    private static float parseFloat(String key, String value) {
        try {
            return Float.parseFloat(value.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key + ": '" + value + "' is not a number");
        }
    }
}
