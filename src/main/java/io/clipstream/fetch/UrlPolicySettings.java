package io.clipstream.fetch;

import java.util.List;

/**
 * Where image URLs may point.
 *
 * @param allowPrivate fetch.allow.private: also fetch from loopback, private, link-local, CGNAT and
 *                     other non-public addresses (cloud metadata addresses stay refused unless listed
 *                     in allowedHosts)
 * @param allowedHosts fetch.allowed.hosts: host names and CIDR blocks fetched even when their
 *                     address would be refused (e.g. an internal image store {@code images.corp,10.20.0.0/16})
 */
public record UrlPolicySettings(boolean allowPrivate, List<String> allowedHosts) {

    public static final UrlPolicySettings STRICT = new UrlPolicySettings(false, List.of());
    public static final UrlPolicySettings ALLOW_PRIVATE = new UrlPolicySettings(true, List.of());

    public UrlPolicySettings {
        allowedHosts = allowedHosts.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** Parses a comma-separated list as fetch.allowed.hosts is written. */
    public static List<String> parseHosts(String commaSeparated) {
        return List.of(commaSeparated.split(",")).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
