package io.clipstream.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * A shared secret clients present as {@code Authorization: Bearer <token>}. Its toString never shows
 * the value, so a token inside a logged configuration stays secret; comparison takes the same time
 * however many leading characters match, so the token cannot be guessed a character at a time.
 */
public final class BearerToken {

    private static final int MIN_LENGTH = 16;

    private final byte[] value;

    private BearerToken(String value) {
        this.value = value.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param setting the configuration key, named in the error
     * @throws IllegalArgumentException for a token too short to resist guessing
     */
    public static BearerToken of(String setting, String value) {
        String v = value.trim();
        if (v.length() < MIN_LENGTH || v.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new IllegalArgumentException(setting + " must be at least " + MIN_LENGTH
                    + " printable ASCII characters without spaces (e.g. `openssl rand -hex 32`)");
        }
        return new BearerToken(v);
    }

    /** An empty or absent setting means no token. */
    public static Optional<BearerToken> optional(String setting, Optional<String> value) {
        return value.filter(v -> !v.isBlank()).map(v -> of(setting, v));
    }

    /** Whether an Authorization header value carries this token. */
    public boolean matches(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] presented = authorizationHeader.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(presented, value);
    }

    /** The Authorization header value that presents this token (for peers). */
    public String header() {
        return "Bearer " + new String(value, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "BearerToken[****]";
    }
}
