package io.clipstream.fetch;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UrlPolicyTest {

    /** Names resolve only through this map: no test touches real DNS. */
    static HostResolver fake(Map<String, String> names) {
        return host -> {
            String address = names.get(host);
            if (address == null) {
                throw new UnknownHostException(host);
            }
            return List.of(InetAddress.getByName(address));
        };
    }

    private static final HostResolver DNS = fake(Map.of(
            "public.test", "93.184.216.34",
            "localhost", "127.0.0.1",
            "internal.test", "10.1.2.3",
            "router.test", "192.168.1.1",
            "cgnat.test", "100.64.0.7",
            "v6loop.test", "::1",
            "rebind-metadata.test", "169.254.169.254"));

    private final UrlPolicy strict = new UrlPolicy(UrlPolicySettings.STRICT, DNS);

    private String refusal(UrlPolicy policy, String url) {
        return assertThrows(UrlRefusedException.class, () -> policy.check(URI.create(url)), url).getMessage();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "http://127.0.0.1/a.png", "http://127.8.9.10/", "http://localhost:8080/", "http://[::1]/",
            "http://[::ffff:127.0.0.1]/", "http://[::ffff:7f00:1]/", "http://[::127.0.0.1]/", "http://[64:ff9b::7f00:1]/",
            "http://[2002:7f00:1::]/", "http://0.0.0.0/", "http://[::]/", "http://v6loop.test/"})
    void loopbackAndUnspecifiedAreRefused(String url) {
        String message = refusal(strict, url);
        assertTrue(message.contains("loopback") || message.contains("unspecified"), message);
        assertTrue(message.contains("fetch.allow.private"), "the message names the setting: " + message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://10.0.0.1/", "http://172.16.5.4/", "http://172.31.255.255/", "http://192.168.0.10/",
            "http://internal.test/x.jpg", "http://router.test/", "http://[fc00::1]/", "http://[fd12:3456::1]/"})
    void privateAddressesAreRefused(String url) {
        assertTrue(refusal(strict, url).contains("private"), url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://169.254.1.1/", "http://[fe80::1]/"})
    void linkLocalIsRefused(String url) {
        assertTrue(refusal(strict, url).contains("link-local"), url);
    }

    @Test
    void cgnatMulticastAndReservedAreRefused() {
        assertTrue(refusal(strict, "http://cgnat.test/").contains("carrier-grade NAT"));
        assertTrue(refusal(strict, "http://100.127.255.1/").contains("carrier-grade NAT"));
        assertTrue(refusal(strict, "http://224.0.0.1/").contains("multicast"));
        assertTrue(refusal(strict, "http://[ff02::1]/").contains("multicast"));
        assertTrue(refusal(strict, "http://255.255.255.255/").contains("broadcast"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/",
            "http://metadata.google.internal/computeMetadata/v1/", "http://METADATA.google.internal./",
            "http://rebind-metadata.test/", "http://[::ffff:169.254.169.254]/"})
    void metadataIsRefusedEvenWhenPrivateAddressesAreAllowed(String url) {
        assertTrue(refusal(strict, url).contains("metadata"), url);
        UrlPolicy permissive = new UrlPolicy(UrlPolicySettings.ALLOW_PRIVATE, DNS);
        assertTrue(refusal(permissive, url).contains("metadata"), url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://2130706433/", "http://0x7f000001/", "http://017700000001/", "http://0177.0.0.1/",
            "http://127.1/", "http://0x7f.0.0.1/", "http://127.0.1/", "http://3232235521/"})
    void numericHostTricksAreRefused(String url) {
        assertTrue(refusal(strict, url).contains("non-standard form"), url);
    }

    @Test
    void otherSchemesUserInfoAndUnknownHostsAreRefused() {
        assertTrue(refusal(strict, "file:///etc/passwd").contains("only http and https"));
        assertTrue(refusal(strict, "gopher://public.test/").contains("only http and https"));
        assertTrue(refusal(strict, "http://user:pw@public.test/").contains("user info"));
        assertTrue(refusal(strict, "http://nowhere.test/").contains("does not resolve"));
    }

    @Test
    void publicAddressesPassAndThePinnedAddressIsTheCheckedOne() {
        FetchTarget target = strict.check(URI.create("https://public.test/cat.png"));
        assertEquals("93.184.216.34", target.address().getHostAddress());
        assertEquals(443, target.port());
        assertEquals(80, strict.check(URI.create("http://8.8.8.8/")).port());
    }

    @Test
    void aNameWithOnePrivateAddressAmongPublicOnesIsRefused() {
        HostResolver mixed = host -> List.of(InetAddress.getByName("93.184.216.34"), InetAddress.getByName("10.0.0.1"));
        assertTrue(refusal(new UrlPolicy(UrlPolicySettings.STRICT, mixed), "http://mixed.test/").contains("10.0.0.1"));
    }

    @Test
    void allowPrivateLetsNonPublicAddressesThrough() {
        UrlPolicy permissive = new UrlPolicy(UrlPolicySettings.ALLOW_PRIVATE, DNS);
        assertEquals("127.0.0.1", permissive.check(URI.create("http://localhost:9000/x")).address().getHostAddress());
        assertEquals("10.1.2.3", permissive.check(URI.create("http://internal.test/")).address().getHostAddress());
        permissive.check(URI.create("http://[::1]/"));
    }

    @Test
    void theAllowListOpensOnlyTheListedHostsAndRanges() {
        UrlPolicy listed = new UrlPolicy(new UrlPolicySettings(false, List.of("internal.test", "192.168.0.0/16")), DNS);
        listed.check(URI.create("http://internal.test/"));
        listed.check(URI.create("http://router.test/"));
        listed.check(URI.create("http://192.168.44.1/"));
        assertTrue(refusal(listed, "http://10.1.2.4/").contains("private"));
        assertTrue(refusal(listed, "http://localhost/").contains("loopback"));
        assertThrows(IllegalArgumentException.class, () -> new UrlPolicy(new UrlPolicySettings(false, List.of("10.0.0.0/99"))));
    }
}
