package io.clipstream.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.QoSHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.URIUtil;

import java.nio.ByteBuffer;
import java.util.function.Predicate;

/**
 * Bounded concurrency for the requests that compute (searches, heat maps): at most
 * {@code searchConcurrency} at once, up to {@code searchQueue} more waiting (suspended, holding no
 * thread) for at most {@code searchQueueTimeout}; any other is answered at once with 503 and
 * Retry-After, in the API's JSON error shape. Jetty's QoSHandler does the counting and the queue.
 */
final class SearchAdmission extends QoSHandler {

    private final int retryAfterSeconds;
    private final Counter queueFull;
    private final Counter waitedTooLong;

    SearchAdmission(HttpLimits limits, Predicate<String> bounded, MeterRegistry metrics) {
        this.retryAfterSeconds = limits.retryAfterSeconds();
        setMaxRequestCount(limits.effectiveSearchConcurrency());
        setMaxSuspendedRequestCount(limits.searchQueue());
        setMaxSuspend(limits.searchQueueTimeout());
        setRejectStatusCode(503);
        // The decoded path, as the routes see it (JettyExchange.path()).
        include(request -> bounded.test(URIUtil.decodePath(request.getHttpURI().getPath())));
        queueFull = Counter.builder("clipstream.http.refused").tag("reason", "queue_full")
                .description("searches refused with 503 because the search queue was full").register(metrics);
        waitedTooLong = Counter.builder("clipstream.http.refused").tag("reason", "queue_timeout")
                .description("searches refused with 503 after waiting http.search.queue.timeout.ms for a turn").register(metrics);
        Gauge.builder("clipstream.http.search.queued", this, QoSHandler::getSuspendedRequestCount)
                .description("searches waiting for a turn").register(metrics);
    }

    @Override
    protected void reject(Request request, Response response, Callback callback, int status) {
        queueFull.increment();
        refuse(response, callback, "the server is computing " + getMaxRequestCount() + " searches and "
                + getMaxSuspendedRequestCount() + " more are waiting (http.search.max.concurrent, http.search.queue.size); "
                + "retry after " + retryAfterSeconds + " s");
    }

    @Override
    protected void failSuspended(Request request, Response response, Callback callback, int status, Throwable failure) {
        waitedTooLong.increment();
        refuse(response, callback, "no search turn came free within " + getMaxSuspend().toMillis()
                + " ms (http.search.queue.timeout.ms); retry after " + retryAfterSeconds + " s");
    }

    private void refuse(Response response, Callback callback, String message) {
        byte[] body = Exchanges.errorBody(503, message);
        response.setStatus(503);
        response.getHeaders().put(HttpHeader.RETRY_AFTER, Integer.toString(retryAfterSeconds));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
