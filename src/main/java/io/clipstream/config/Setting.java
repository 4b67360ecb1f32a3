package io.clipstream.config;

import java.util.Objects;
import java.util.Optional;

/**
 * One setting the service reads, defined once in {@link Settings}: the typed configuration reads
 * its value through it and the configuration reference in docs/OPERATIONS.md is generated from it.
 *
 * @param key          the properties key; {@code kafka.*} for a prefix whose keys are passed on
 * @param type         how the value is read and its default written
 * @param defaultValue the value when the key is unset ({@code Optional.empty()} for a setting
 *                     whose absence means something of its own, which {@code meaning} then says)
 * @param meaning      what the setting does, for operators (markdown)
 * @param section      the group the reference lists it under
 * @param secret       whether the value is a credential: never printed, logged or echoed in errors
 */
public record Setting<T>(String key, SettingType<T> type, T defaultValue, String meaning, String section, boolean secret) {

    private static final String PREFIX_WILDCARD = "*";

    public Setting {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(defaultValue, () -> key + ": give Optional.empty() rather than null for 'unset'");
        Objects.requireNonNull(meaning, "meaning");
        Objects.requireNonNull(section, "section");
    }

    /** The value {@code source} gives this setting, or its default. */
    public T from(ConfigSource source) {
        return type.reader().read(source, key, defaultValue);
    }

    /** The default as an operator writes it; empty when the default is "unset". */
    public Optional<String> documentedDefault() {
        return Optional.ofNullable(type.format().apply(defaultValue));
    }

    /** True for {@code kafka.*}: any key under the prefix is accepted. */
    public boolean isPrefix() {
        return key.endsWith("." + PREFIX_WILDCARD);
    }

    /** For a prefix setting, the prefix with its trailing dot ({@code kafka.}). */
    public String prefix() {
        if (!isPrefix()) {
            throw new IllegalStateException(key + " is not a prefix setting");
        }
        return prefixOf(key);
    }

    /** The environment variable that sets this key ({@code CLIPSTREAM_KAFKA_*} for the prefix). */
    public String environmentVariable() {
        return isPrefix() ? ConfigSource.environmentName(prefix()) + PREFIX_WILDCARD : ConfigSource.environmentName(key);
    }

    /** Whether environment variable {@code name} sets this setting (for a prefix: some key under it). */
    public boolean setBy(String name) {
        if (!isPrefix()) {
            return environmentVariable().equals(name);
        }
        String prefix = ConfigSource.environmentName(prefix());
        return name.startsWith(prefix) && name.length() > prefix.length();
    }

    static String prefixOf(String key) {
        return key.substring(0, key.length() - PREFIX_WILDCARD.length());
    }
}
