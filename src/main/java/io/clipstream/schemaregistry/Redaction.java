package io.clipstream.schemaregistry;

import java.util.regex.Pattern;

/** Removes credentials from URLs before they reach a message, a log line or a toString(). */
final class Redaction {

    // scheme://user:password@host -> scheme://***@host; also matches text that is not a valid URI.
    private static final Pattern USER_INFO = Pattern.compile("(?<=//)[^/?#@\\s]*@");

    private Redaction() {
    }

    static String url(String text) {
        return text == null ? null : USER_INFO.matcher(text).replaceAll("***@");
    }
}
