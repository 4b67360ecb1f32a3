package io.clipstream.fetch;

import io.clipstream.encoders.image.ImageFormat;
import io.clipstream.common.InvalidEventException;

import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Fetches an image named by URL under {@link FetchLimits} and a {@link UrlPolicy}: every hop,
 * redirects included, is checked by the policy and fetched from exactly the address checked; the
 * body is read only up to the byte limit; a declared Content-Type other than image/* or
 * application/octet-stream, or bytes that start like no image format we decode, are refused.
 *
 * <p>Safe to call from many threads at once, within {@link FetchConcurrency}: at most so many
 * fetches in flight in all and per host (the rest wait, inside their timeout), connections kept
 * alive per host and checked address, and a per-host circuit breaker so that a host that stopped
 * answering costs one round of timeouts rather than one per event. Closing it closes the idle
 * connections.
 */
public final class ImageFetcher implements AutoCloseable {

    /** Idle connections are closed after this long; servers commonly drop them after 5 to 60 s. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(20);

    private final FetchLimits limits;
    private final UrlPolicy policy;
    private final PinnedHttpGet http;
    private final HostGates hosts;
    private final Semaphore inFlight;
    private final FetchConcurrency concurrency;

    public ImageFetcher(FetchLimits limits, UrlPolicy policy) {
        this(limits, FetchConcurrency.DEFAULT, policy);
    }

    public ImageFetcher(FetchLimits limits, FetchConcurrency concurrency, UrlPolicy policy) {
        this(limits, concurrency, policy, (SSLSocketFactory) SSLSocketFactory.getDefault());
    }

    /** @param tls how https connections are made (tests trust their own certificate) */
    ImageFetcher(FetchLimits limits, UrlPolicy policy, SSLSocketFactory tls) {
        this(limits, FetchConcurrency.DEFAULT, policy, tls);
    }

    ImageFetcher(FetchLimits limits, FetchConcurrency concurrency, UrlPolicy policy, SSLSocketFactory tls) {
        this.limits = limits;
        this.policy = policy;
        this.concurrency = concurrency;
        this.http = new PinnedHttpGet(limits, tls, new ConnectionPool(concurrency.maxPerHost(), concurrency.maxInFlight(),
                IDLE_TIMEOUT.toNanos(), System::nanoTime));
        this.hosts = new HostGates(concurrency, System::nanoTime);
        this.inFlight = new Semaphore(concurrency.maxInFlight(), true);
    }

    /** A fetcher with the default policy: public addresses only. */
    public ImageFetcher(FetchLimits limits) {
        this(limits, new UrlPolicy(UrlPolicySettings.STRICT));
    }

    /**
     * The body of {@code url}; throws {@link InvalidEventException} naming the item: code
     * FETCH_REFUSED for a URL the policy refuses, UNSUPPORTED_FORMAT for a body that is not an
     * image, FETCH_FAILED for everything else. The fetch timeout counts from this call, waiting for
     * a free slot included, so no event waits longer than that for its image, however busy its host.
     */
    public byte[] fetch(String url, String itemId) {
        long deadline = System.nanoTime() + limits.timeout().toNanos();
        URI uri = parse(url, itemId);
        for (int hop = 0; hop <= limits.maxRedirects(); hop++) {
            FetchTarget target = check(uri, itemId);
            PinnedHttpGet.Response response = send(target, itemId, deadline);
            int status = response.status();
            if (status >= 300 && status < 400) {
                String location = response.header("location").orElse(null);
                if (location == null) {
                    throw failed(itemId, url, "redirect " + status + " without a Location header");
                }
                try {
                    uri = parse(uri.resolve(location.trim()).toString(), itemId);
                } catch (IllegalArgumentException e) {
                    throw failed(itemId, url, "redirect to an invalid URL '" + location + "'");
                }
                continue;
            }
            if (status != 200) {
                throw failed(itemId, url, "HTTP status " + status);
            }
            if (response.truncated()) {
                throw failed(itemId, url, "the image is over the limit of " + limits.maxBytes() + " bytes (fetch.max.bytes)");
            }
            return checkedImage(response, itemId, url);
        }
        throw failed(itemId, url, "more than " + limits.maxRedirects() + " redirects (fetch.max.redirects)");
    }

    /** One request through the host's and the instance's limits and the host's breaker. */
    private PinnedHttpGet.Response send(FetchTarget target, String itemId, long deadline) {
        String url = target.uri().toString();
        // Per server, as browsers count connections: host name and port.
        String host = target.uri().getHost() + ":" + target.port();
        HostGates.Gate gate = hosts.gate(host);
        String blocked = gate.breaker().blocked();
        if (blocked != null) {
            throw failed(itemId, url, blocked);
        }
        if (!acquire(gate::acquire, deadline, itemId, url)) {
            throw failed(itemId, url, "no slot for '" + host + "' within the fetch timeout: " + concurrency.maxPerHost()
                    + " fetches from it were in flight (fetch.max.per.host)");
        }
        try {
            if (!acquire(d -> inFlight.tryAcquire(Math.max(0, d - System.nanoTime()), TimeUnit.NANOSECONDS), deadline, itemId, url)) {
                throw failed(itemId, url, "no slot within the fetch timeout: " + concurrency.maxInFlight()
                        + " fetches were in flight (fetch.max.in.flight)");
            }
            try {
                String refused = gate.breaker().admit();
                if (refused != null) {
                    throw failed(itemId, url, refused);
                }
                return sendAdmitted(gate.breaker(), target, itemId, deadline);
            } finally {
                inFlight.release();
            }
        } finally {
            gate.release();
        }
    }

    private PinnedHttpGet.Response sendAdmitted(CircuitBreaker breaker, FetchTarget target, String itemId, long deadline) {
        String failure = "unexpected error";
        try {
            PinnedHttpGet.Response response = http.get(target, deadline);
            // The host answered; only answers that say it is overloaded or broken count against it.
            failure = response.status() >= 500 || response.status() == 429 ? "HTTP status " + response.status() : null;
            return response;
        } catch (IOException e) {
            failure = describe(e);
            throw failed(itemId, target.uri().toString(), "cannot fetch (" + failure + ")");
        } finally {
            if (failure == null) {
                breaker.succeeded();
            } else {
                breaker.failed(failure);
            }
        }
    }

    /**
     * The cause as a user reads it. A timeout says so and names its setting whatever the JDK put in
     * its message: a connect that the server's full backlog leaves hanging times out with none.
     */
    private String describe(IOException e) {
        String cause = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        if (e instanceof SocketTimeoutException) {
            return "no complete response within the fetch timeout of " + limits.timeout().toMillis()
                    + " ms, fetch.timeout.ms; " + cause;
        }
        return cause;
    }

    @FunctionalInterface
    private interface Acquisition {
        boolean tryAcquire(long deadline) throws InterruptedException;
    }

    private static boolean acquire(Acquisition acquisition, long deadline, String itemId, String url) {
        try {
            return acquisition.tryAcquire(deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(itemId, url, "interrupted while waiting to fetch (the embedder is stopping)");
        }
    }

    @Override
    public void close() {
        http.close();
    }

    private FetchTarget check(URI uri, String itemId) {
        try {
            return policy.check(uri);
        } catch (UrlRefusedException e) {
            throw new InvalidEventException("FETCH_REFUSED", itemId + ": " + e.getMessage());
        }
    }

    private static byte[] checkedImage(PinnedHttpGet.Response response, String itemId, String url) {
        String type = response.header("content-type").map(t -> t.split(";")[0].trim().toLowerCase(Locale.ROOT)).orElse("");
        // An absent type is left to the magic-byte check below: many plain file servers send none.
        if (!type.isEmpty() && !type.startsWith("image/") && !type.equals("application/octet-stream")) {
            throw new InvalidEventException("UNSUPPORTED_FORMAT", itemId + ": image URL " + url + " returned Content-Type '"
                    + type + "', not an image; point the URL at the image itself (image/* or application/octet-stream)");
        }
        byte[] body = response.body();
        if (ImageFormat.sniff(body).isEmpty()) {
            throw new InvalidEventException("UNSUPPORTED_FORMAT", itemId + ": image URL " + url + " returned "
                    + ImageFormat.describeUnsupported(body) + ", not an image in " + ImageFormat.SUPPORTED);
        }
        return body;
    }

    private static URI parse(String url, String itemId) {
        try {
            return URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw failed(itemId, url, "not a valid URL");
        }
    }

    private static InvalidEventException failed(String itemId, String url, String problem) {
        return new InvalidEventException("FETCH_FAILED", itemId + ": image URL " + url + ": " + problem);
    }
}
