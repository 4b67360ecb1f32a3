package io.clipstream.fetch;

import java.time.Duration;

/**
 * Bounds on fetching an image by URL.
 *
 * @param maxBytes     largest body read; a larger one is refused without reading the rest
 * @param timeout      for the whole fetch, from when it is asked for (waiting for a slot, connecting,
 *                     redirects, the body); the default stays well below Kafka Streams' exactly-once
 *                     transaction timeout (10 s), which a batch waiting for its slowest image must not outlast
 * @param maxRedirects redirects followed (each one checked like the first URL)
 */
public record FetchLimits(long maxBytes, Duration timeout, int maxRedirects) {

    public static final FetchLimits DEFAULT = new FetchLimits(20L * 1024 * 1024, Duration.ofSeconds(5), 3);

    public FetchLimits {
        if (maxBytes <= 0 || timeout.isNegative() || timeout.isZero() || maxRedirects < 0) {
            throw new IllegalArgumentException("fetch limits must be positive: maxBytes=" + maxBytes + " timeout=" + timeout
                    + " maxRedirects=" + maxRedirects);
        }
    }
}
