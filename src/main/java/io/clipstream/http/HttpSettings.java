package io.clipstream.http;

/**
 * @param bindHost     interface to listen on (http.host)
 * @param port         http.port; 0 picks a free port (tests)
 * @param maxBodyBytes http.max.body.bytes: largest request body accepted
 */
public record HttpSettings(String bindHost, int port, long maxBodyBytes) {

    public static final HttpSettings DEFAULT = new HttpSettings("0.0.0.0", 8080, 16L * 1024 * 1024);
}
