package io.clipstream.fetch;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides whether an image URL may be fetched, so that a URL in an event or a search request cannot
 * be used to reach the network clipstream runs in (SSRF): http and https only; the host resolved
 * here, once, and every address it resolves to checked against loopback, private, link-local, CGNAT,
 * unspecified, multicast, reserved and cloud metadata ranges; numeric hosts in any form but a plain
 * dotted quad refused (resolvers read {@code 2130706433} or {@code 0177.1} as 127.0.0.1). The
 * fetcher checks each redirect hop through here and connects to the address returned.
 */
public final class UrlPolicy {

    private record Blocked(AddressRange range, String what) {
    }

    /** Ranges refused even with fetch.allow.private: they hand out cloud credentials. */
    private static final List<Blocked> METADATA = List.of(
            blocked("169.254.169.254/32", "a cloud metadata address"),
            blocked("169.254.170.2/32", "a cloud metadata address (ECS task credentials)"),
            blocked("100.100.100.200/32", "a cloud metadata address"),
            blocked("fd00:ec2::254/128", "a cloud metadata address"));
    private static final Set<String> METADATA_NAMES = Set.of("metadata.google.internal", "metadata.goog", "metadata",
            "instance-data", "instance-data.ec2.internal");

    private static final List<Blocked> NON_PUBLIC = List.of(
            blocked("0.0.0.0/8", "an unspecified ('this network') address"),
            blocked("127.0.0.0/8", "a loopback address"),
            blocked("10.0.0.0/8", "a private address"),
            blocked("172.16.0.0/12", "a private address"),
            blocked("192.168.0.0/16", "a private address"),
            blocked("100.64.0.0/10", "a carrier-grade NAT (shared) address"),
            blocked("169.254.0.0/16", "a link-local address"),
            blocked("192.0.0.0/24", "an IETF protocol address"),
            blocked("198.18.0.0/15", "a benchmarking address"),
            blocked("224.0.0.0/4", "a multicast address"),
            blocked("240.0.0.0/4", "a reserved or broadcast address"),
            blocked("::/128", "an unspecified address"),
            blocked("::1/128", "a loopback address"),
            blocked("fe80::/10", "a link-local address"),
            blocked("fec0::/10", "a site-local address"),
            blocked("fc00::/7", "a private (unique local) address"),
            blocked("ff00::/8", "a multicast address"));

    /** IPv6 forms that carry an IPv4 address inside; the inner address is checked too. */
    private static final AddressRange V4_COMPATIBLE = AddressRange.parse("::/96");
    private static final AddressRange NAT64 = AddressRange.parse("64:ff9b::/96");
    private static final AddressRange SIX_TO_FOUR = AddressRange.parse("2002::/16");

    private static final Pattern NUMERIC_HOST = Pattern.compile("(0x[0-9a-f]*|[0-9]+)(\\.(0x[0-9a-f]*|[0-9]+))*\\.?");

    private final UrlPolicySettings settings;
    private final List<AddressRange> allowedRanges = new ArrayList<>();
    private final Set<String> allowedNames;
    private final HostResolver resolver;

    public UrlPolicy(UrlPolicySettings settings, HostResolver resolver) {
        this.settings = settings;
        this.resolver = resolver;
        List<String> names = new ArrayList<>();
        for (String entry : settings.allowedHosts()) {
            if (AddressRange.literal(entry.contains("/") ? entry.substring(0, entry.indexOf('/')) : entry).isPresent()) {
                allowedRanges.add(AddressRange.parse(entry));
            } else {
                names.add(normalise(entry));
            }
        }
        this.allowedNames = Set.copyOf(names);
    }

    public UrlPolicy(UrlPolicySettings settings) {
        this(settings, HostResolver.SYSTEM);
    }

    /** The address to connect to for {@code uri}, or {@link UrlRefusedException} saying why not. */
    public FetchTarget check(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw refused(uri, "only http and https URLs are fetched");
        }
        if (uri.getRawUserInfo() != null) {
            throw refused(uri, "URLs with user info (user:password@) are not fetched");
        }
        String rawHost = uri.getHost();
        if (rawHost == null && uri.getRawAuthority() != null) {
            // java.net.URI gives no host for authorities such as 127.1 or 0x7f.0.0.1 that other
            // resolvers read as 127.0.0.1; say so rather than "no host".
            String authority = uri.getRawAuthority().replaceFirst(":\\d*$", "").toLowerCase(Locale.ROOT);
            if (NUMERIC_HOST.matcher(authority).matches()) {
                throw refused(uri, nonStandardNumeric(authority));
            }
        }
        if (rawHost == null || rawHost.isEmpty()) {
            throw refused(uri, "the URL has no host");
        }
        String host = normalise(rawHost);
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        boolean listedName = allowedNames.contains(host);
        if (!listedName && METADATA_NAMES.contains(host)) {
            throw refused(uri, "'" + host + "' is a cloud metadata service; add it to fetch.allowed.hosts if you really mean it");
        }
        java.util.Optional<byte[]> literalBytes = AddressRange.literal(host);
        boolean literal = literalBytes.isPresent();
        if (!literal && NUMERIC_HOST.matcher(host).matches()) {
            throw refused(uri, nonStandardNumeric(rawHost));
        }
        List<InetAddress> addresses;
        try {
            // A literal address is taken as written; only names go to the resolver.
            addresses = literal ? List.of(InetAddress.getByAddress(literalBytes.get())) : resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw refused(uri, "the host '" + host + "' does not resolve");
        }
        if (addresses.isEmpty()) {
            throw refused(uri, "the host '" + host + "' does not resolve");
        }
        // Every address is checked, not just the first: a name with one public and one private
        // record would otherwise reach the private one whenever the client picked it.
        for (InetAddress address : addresses) {
            if (listedName || allowedRanges.stream().anyMatch(r -> r.contains(address))) {
                continue;
            }
            String why = refusal(address);
            if (why != null) {
                throw refused(uri, "'" + host + "' is " + (literal ? "" : "at " + address.getHostAddress() + ", ") + why
                        + "; set fetch.allow.private=true or list the host or its range in fetch.allowed.hosts to fetch it");
            }
        }
        return new FetchTarget(uri, addresses.get(0), port);
    }

    private static String nonStandardNumeric(String host) {
        return "the host '" + host + "' is a numeric address in a non-standard form (decimal, octal, hex or shortened); "
                + "write it as a dotted quad like 203.0.113.7";
    }

    /** Why this address is refused, or null when it may be fetched. */
    private String refusal(InetAddress address) {
        byte[] bytes = address.getAddress();
        for (Blocked b : METADATA) {
            if (b.range().contains(bytes)) {
                return b.what();
            }
        }
        if (settings.allowPrivate()) {
            return null;
        }
        String what = nonPublic(bytes);
        if (what == null && address instanceof Inet6Address) {
            byte[] inner = embeddedIpv4(bytes);
            if (inner != null) {
                what = nonPublic(inner);
                if (what == null) {
                    for (Blocked b : METADATA) {
                        if (b.range().contains(inner)) {
                            return b.what();
                        }
                    }
                }
            }
        }
        if (what == null && (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress())) {
            what = "not a public address";
        }
        return what;
    }

    private static String nonPublic(byte[] bytes) {
        for (Blocked b : NON_PUBLIC) {
            if (b.range().contains(bytes)) {
                return b.what();
            }
        }
        return null;
    }

    private static byte[] embeddedIpv4(byte[] v6) {
        if (V4_COMPATIBLE.contains(v6) || NAT64.contains(v6)) {
            return new byte[]{v6[12], v6[13], v6[14], v6[15]};
        }
        if (SIX_TO_FOUR.contains(v6)) {
            return new byte[]{v6[2], v6[3], v6[4], v6[5]};
        }
        // ::ffff:a.b.c.d is turned into an Inet4Address by the JDK already, but keep the check
        // for resolvers that hand back the raw 16 bytes.
        boolean mapped = true;
        for (int i = 0; i < 10; i++) {
            mapped &= v6[i] == 0;
        }
        if (mapped && (v6[10] & 0xFF) == 0xFF && (v6[11] & 0xFF) == 0xFF) {
            return new byte[]{v6[12], v6[13], v6[14], v6[15]};
        }
        return null;
    }

    private static String normalise(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.endsWith(".") && !h.equals(".") ? h.substring(0, h.length() - 1) : h;
    }

    private static Blocked blocked(String cidr, String what) {
        return new Blocked(AddressRange.parse(cidr), what);
    }

    private static UrlRefusedException refused(URI uri, String why) {
        return new UrlRefusedException("image URL " + uri + " refused: " + why);
    }
}
