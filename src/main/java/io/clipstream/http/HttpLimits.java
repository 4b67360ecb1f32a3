package io.clipstream.http;

import java.time.Duration;

/**
 * How much the HTTP server takes on at once and how long it waits for a client, so that neither
 * a burst of searches nor slow or idle connections can take it down.
 *
 * @param searchConcurrency  http.search.max.concurrent: searches and heat maps computed at once; 0 = two per CPU core
 * @param searchQueue        http.search.queue.size: searches waiting for a turn; beyond it a search is refused at once
 *                           (503 with Retry-After)
 * @param searchQueueTimeout http.search.queue.timeout.ms: longest wait for a turn before 503
 * @param retryAfterSeconds  http.retry.after.seconds: the Retry-After of a refused search
 * @param maxConnections     http.max.connections: open connections; more are not accepted until some close
 * @param idleTimeout        http.idle.timeout.ms: a connection that sends and reads nothing this long is closed
 * @param headerTimeout      http.header.timeout.ms: a request's line and headers must arrive within this
 * @param requestTimeout     http.request.timeout.ms: a request's body must arrive within this (else 408)
 */
public record HttpLimits(int searchConcurrency, int searchQueue, Duration searchQueueTimeout, int retryAfterSeconds,
                         int maxConnections, Duration idleTimeout, Duration headerTimeout, Duration requestTimeout) {

    public static final HttpLimits DEFAULT = new HttpLimits(0, 64, Duration.ofSeconds(1), 1, 4096,
            Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(30));

    public HttpLimits {
        require(searchConcurrency >= 0, "http.search.max.concurrent must be >= 0 (0: two per CPU core), got " + searchConcurrency);
        require(searchQueue >= 0, "http.search.queue.size must be >= 0, got " + searchQueue);
        require(!searchQueueTimeout.isNegative(), "http.search.queue.timeout.ms must be >= 0, got " + searchQueueTimeout.toMillis());
        require(retryAfterSeconds >= 1, "http.retry.after.seconds must be >= 1, got " + retryAfterSeconds);
        require(maxConnections >= 1, "http.max.connections must be >= 1, got " + maxConnections);
        require(idleTimeout.toMillis() >= 1, "http.idle.timeout.ms must be >= 1, got " + idleTimeout.toMillis());
        require(headerTimeout.toMillis() >= 1, "http.header.timeout.ms must be >= 1, got " + headerTimeout.toMillis());
        require(requestTimeout.toMillis() >= 1, "http.request.timeout.ms must be >= 1, got " + requestTimeout.toMillis());
    }

    /** Searches computed at once, with 0 resolved. */
    public int effectiveSearchConcurrency() {
        return searchConcurrency > 0 ? searchConcurrency : 2 * Runtime.getRuntime().availableProcessors();
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
