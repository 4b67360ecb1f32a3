package io.clipstream.schemaregistry;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the schema registry is and how to talk to it.
 *
 * <p>URLs may carry credentials ({@code http://user:password@host:8081}); they are moved into
 * {@link #basicAuthUserInfo()} and removed from {@link #urls()}, so that the URLs can be printed.
 * An explicit user info wins over credentials in a URL. {@link #toString()} never shows the secret.
 *
 * @param urls              registry base URLs (a path prefix such as {@code /apis/ccompat/v7} is
 *                          kept); the client tries the next one when one cannot be reached
 * @param basicAuthUserInfo {@code user:password} for HTTP basic authentication, if any
 * @param requestTimeout    limit for connecting and for each request
 * @param autoRegister      whether serializers register their schema or only look its id up
 * @param cacheCapacity     entries kept in each of the client's caches
 */
public record SchemaRegistryConfig(
        List<URI> urls,
        Optional<String> basicAuthUserInfo,
        Duration requestTimeout,
        boolean autoRegister,
        int cacheCapacity) {

    public static final String URL = "schema.registry.url";
    public static final String BASIC_AUTH_USER_INFO = "schema.registry.basic.auth.user.info";
    public static final String AUTO_REGISTER = "schema.registry.auto.register";
    public static final String TIMEOUT_MS = "schema.registry.timeout.ms";

    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final boolean DEFAULT_AUTO_REGISTER = true;
    public static final int DEFAULT_CACHE_CAPACITY = 2_000;

    public SchemaRegistryConfig {
        Objects.requireNonNull(urls, "urls");
        Objects.requireNonNull(basicAuthUserInfo, "basicAuthUserInfo");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (urls.isEmpty()) {
            throw new IllegalArgumentException(URL + " is empty; set it to the registry's URL, for example http://localhost:8081");
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException(TIMEOUT_MS + " must be positive, got " + requestTimeout.toMillis() + " ms");
        }
        if (cacheCapacity < 1) {
            throw new IllegalArgumentException("schema registry cache capacity must be at least 1, got " + cacheCapacity);
        }
        List<URI> clean = new ArrayList<>(urls.size());
        String urlUserInfo = null;
        for (URI url : urls) {
            Objects.requireNonNull(url, "url");
            String scheme = url.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https")) || url.getHost() == null) {
                throw new IllegalArgumentException(URL + " entry '" + Redaction.url(url.toString())
                        + "' is not an http(s) URL with a host; use for example http://localhost:8081");
            }
            if (url.getRawUserInfo() != null) {
                String userInfo = URLDecoder.decode(url.getRawUserInfo().replace("+", "%2B"), StandardCharsets.UTF_8);
                if (urlUserInfo != null && !urlUserInfo.equals(userInfo)) {
                    throw new IllegalArgumentException(URL + " entries carry different credentials; give one in "
                            + BASIC_AUTH_USER_INFO + " instead");
                }
                urlUserInfo = userInfo;
            }
            clean.add(withoutUserInfo(url));
        }
        urls = List.copyOf(clean);
        if (basicAuthUserInfo.isEmpty() && urlUserInfo != null) {
            basicAuthUserInfo = Optional.of(urlUserInfo);
        }
        basicAuthUserInfo.ifPresent(userInfo -> {
            if (userInfo.indexOf(':') < 1) {
                throw new IllegalArgumentException(BASIC_AUTH_USER_INFO
                        + " must look like user:password (the value is not shown because it may hold a secret)");
            }
        });
    }

    /** One or more comma-separated URLs, no credentials unless embedded, defaults elsewhere. */
    public static SchemaRegistryConfig of(String commaSeparatedUrls) {
        return new SchemaRegistryConfig(parseUrls(commaSeparatedUrls), Optional.empty(),
                DEFAULT_REQUEST_TIMEOUT, DEFAULT_AUTO_REGISTER, DEFAULT_CACHE_CAPACITY);
    }

    /**
     * Reads the {@code schema.registry.*} keys (see the constants) from Kafka-style properties.
     * Only {@link #URL} is required.
     */
    public static SchemaRegistryConfig fromProperties(Map<String, ?> properties) {
        Object url = properties.get(URL);
        if (url == null || url.toString().isBlank()) {
            throw new IllegalArgumentException(URL + " is not set; set it to the registry's URL, for example http://localhost:8081");
        }
        Optional<String> userInfo = Optional.ofNullable(properties.get(BASIC_AUTH_USER_INFO))
                .map(Object::toString).filter(s -> !s.isBlank());
        boolean autoRegister = Optional.ofNullable(properties.get(AUTO_REGISTER))
                .map(v -> parseBoolean(AUTO_REGISTER, v.toString())).orElse(DEFAULT_AUTO_REGISTER);
        Duration timeout = Optional.ofNullable(properties.get(TIMEOUT_MS))
                .map(v -> Duration.ofMillis(parseLong(TIMEOUT_MS, v.toString()))).orElse(DEFAULT_REQUEST_TIMEOUT);
        return new SchemaRegistryConfig(parseUrls(url.toString()), userInfo, timeout, autoRegister, DEFAULT_CACHE_CAPACITY);
    }

    public SchemaRegistryConfig withAutoRegister(boolean enabled) {
        return new SchemaRegistryConfig(urls, basicAuthUserInfo, requestTimeout, enabled, cacheCapacity);
    }

    public SchemaRegistryConfig withBasicAuthUserInfo(String userInfo) {
        return new SchemaRegistryConfig(urls, Optional.of(userInfo), requestTimeout, autoRegister, cacheCapacity);
    }

    public SchemaRegistryConfig withRequestTimeout(Duration timeout) {
        return new SchemaRegistryConfig(urls, basicAuthUserInfo, timeout, autoRegister, cacheCapacity);
    }

    public SchemaRegistryConfig withCacheCapacity(int capacity) {
        return new SchemaRegistryConfig(urls, basicAuthUserInfo, requestTimeout, autoRegister, capacity);
    }

    /** The URLs as one line for messages; they never carry credentials. */
    public String describeUrls() {
        return String.join(", ", urls.stream().map(URI::toString).toList());
    }

    @Override
    public String toString() {
        return "SchemaRegistryConfig[urls=" + urls
                + ", basicAuthUserInfo=" + basicAuthUserInfo.map(secret -> "(set, hidden)").orElse("(none)")
                + ", requestTimeout=" + requestTimeout
                + ", autoRegister=" + autoRegister
                + ", cacheCapacity=" + cacheCapacity + "]";
    }

    private static List<URI> parseUrls(String commaSeparated) {
        List<URI> urls = new ArrayList<>();
        for (String part : commaSeparated.split(",")) {
            String trimmed = part.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            try {
                urls.add(new URI(trimmed));
            } catch (URISyntaxException e) {
                // The JDK's message quotes the input, which may hold a password: build our own.
                throw new IllegalArgumentException(URL + " entry '" + Redaction.url(trimmed)
                        + "' is not a valid URL; use for example http://localhost:8081");
            }
        }
        return urls;
    }

    private static URI withoutUserInfo(URI url) {
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String port = url.getPort() < 0 ? "" : ":" + url.getPort();
        // getHost() keeps the brackets of an IPv6 literal, so this round-trips every host form.
        return URI.create(url.getScheme().toLowerCase() + "://" + url.getHost() + port + path);
    }

    private static boolean parseBoolean(String key, String value) {
        return switch (value.trim().toLowerCase()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(key + " must be true or false, got '" + value + "'");
        };
    }

    private static long parseLong(String key, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number of milliseconds, got '" + value + "'");
        }
    }
}
