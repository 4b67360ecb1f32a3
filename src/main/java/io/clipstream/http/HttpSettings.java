package io.clipstream.http;

import java.util.Optional;

/**
 * @param bindHost      interface to listen on (http.host)
 * @param port          http.port; 0 picks a free port (tests)
 * @param maxBodyBytes  http.max.body.bytes: largest request body accepted
 * @param apiToken      http.auth.token: bearer token the REST API (/v1/*, the page, /metrics) requires; empty = open
 * @param internalToken http.internal.token: bearer token peers present on /internal/v1/*; empty = open
 * @param healthOpen    http.auth.health.open: /health/* answers without a token (for load balancers and probes)
 * @param limits        concurrency, queue and timeouts of the server
 */
public record HttpSettings(String bindHost, int port, long maxBodyBytes, Optional<BearerToken> apiToken,
                           Optional<BearerToken> internalToken, boolean healthOpen, HttpLimits limits) {

    public static final HttpSettings DEFAULT = new HttpSettings("0.0.0.0", 8080, 16L * 1024 * 1024,
            Optional.empty(), Optional.empty(), true, HttpLimits.DEFAULT);

    public HttpSettings(String bindHost, int port, long maxBodyBytes, Optional<BearerToken> apiToken,
                        Optional<BearerToken> internalToken, boolean healthOpen) {
        this(bindHost, port, maxBodyBytes, apiToken, internalToken, healthOpen, HttpLimits.DEFAULT);
    }

    public HttpSettings(String bindHost, int port, long maxBodyBytes) {
        this(bindHost, port, maxBodyBytes, Optional.empty(), Optional.empty(), true);
    }

    public HttpSettings withLimits(HttpLimits limits) {
        return new HttpSettings(bindHost, port, maxBodyBytes, apiToken, internalToken, healthOpen, limits);
    }
}
