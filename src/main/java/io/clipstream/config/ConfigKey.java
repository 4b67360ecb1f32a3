package io.clipstream.config;

import java.util.Objects;

/**
 * One setting the service reads, as docs/OPERATIONS.md documents it.
 *
 * @param key          the properties key ({@code kafka.*} for the pass-through prefix)
 * @param defaultValue the value used when the key is unset, written as it would be set; null when
 *                     there is none (the description then says what an unset key means)
 * @param description  what the setting does, for operators
 * @param section      the group it is listed under
 */
public record ConfigKey(String key, String defaultValue, String description, String section) {

    static final String PREFIX_WILDCARD = "*";

    public ConfigKey {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(section, "section");
    }

    /** True for {@code kafka.*}: any key under the prefix is accepted. */
    public boolean isPrefix() {
        return key.endsWith("." + PREFIX_WILDCARD);
    }

    /** The environment variable that sets this key ({@code CLIPSTREAM_KAFKA_*} for the prefix). */
    public String environmentVariable() {
        return isPrefix() ? ConfigSource.environmentName(prefix()) + PREFIX_WILDCARD : ConfigSource.environmentName(key);
    }

    /** For a prefix entry, the prefix with its trailing dot ({@code kafka.}). */
    public String prefix() {
        if (!isPrefix()) {
            throw new IllegalStateException(key + " is not a prefix entry");
        }
        return key.substring(0, key.length() - PREFIX_WILDCARD.length());
    }
}
