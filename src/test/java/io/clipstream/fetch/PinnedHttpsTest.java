package io.clipstream.fetch;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.clipstream.common.InvalidEventException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * https through the pinned connection: the socket goes to the checked address while TLS sends the
 * URL's host name (SNI) and verifies the certificate against it, so pinning does not weaken TLS.
 */
class PinnedHttpsTest {

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3};

    @Test
    void theCertificateIsCheckedAgainstTheUrlsHostWhileConnectingToTheCheckedAddress(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=images.test",
                "-ext", "SAN=dns:images.test", "-validity", "2", "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit").redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertEquals(0, keytool.waitFor(), output);

        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            keys.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, "changeit".toCharArray());
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keyManagers.getKeyManagers(), null, null);
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("server", keys.getCertificate("server"));
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trusted);
        SSLContext clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, trustManagers.getTrustManagers(), null);

        List<String> hosts = new CopyOnWriteArrayList<>();
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        server.createContext("/", exchange -> {
            hosts.add(exchange.getRequestHeaders().getFirst("Host"));
            exchange.getResponseHeaders().set("Content-Type", "image/png");
            exchange.sendResponseHeaders(200, PNG.length);
            exchange.getResponseBody().write(PNG);
            exchange.close();
        });
        server.start();
        try {
            int port = server.getAddress().getPort();
            HostResolver dns = UrlPolicyTest.fake(Map.of("images.test", "127.0.0.1", "other.test", "127.0.0.1"));
            ImageFetcher fetcher = new ImageFetcher(new FetchLimits(1024, Duration.ofSeconds(10), 1),
                    new UrlPolicy(new UrlPolicySettings(false, List.of("127.0.0.1/32")), dns), clientTls.getSocketFactory());

            assertArrayEquals(PNG, fetcher.fetch("https://images.test:" + port + "/cat.png", "item-1"));
            assertEquals(List.of("images.test:" + port), hosts);

            // Same address, a name the certificate does not cover: the handshake must fail.
            InvalidEventException wrongName = assertThrows(InvalidEventException.class,
                    () -> fetcher.fetch("https://other.test:" + port + "/cat.png", "item-2"));
            assertEquals("FETCH_FAILED", wrongName.code());
            assertTrue(wrongName.getMessage().contains("SSL") || wrongName.getMessage().contains("certificate"), wrongName.getMessage());
            assertEquals(1, hosts.size(), "no request was sent over the unverified connection");
        } finally {
            server.stop(0);
        }
    }
}
