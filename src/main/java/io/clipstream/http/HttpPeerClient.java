package io.clipstream.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.clipstream.logging.RateLimitedLog;
import io.clipstream.schema.VectorRecord;
import io.clipstream.search.PartialResult;
import io.clipstream.search.PeerClient;
import io.clipstream.search.PeerImages;
import io.clipstream.store.KnnQuery;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Asks peers over their internal endpoint. A peer that cannot be reached or answers badly makes
 * its partitions missing; it never fails the caller's search.
 */
public final class HttpPeerClient implements PeerClient, PeerImages {

    private static final Logger LOG = LoggerFactory.getLogger(HttpPeerClient.class);
    /** A peer that is down would otherwise log a line for every search; the searcher counts each occurrence. */
    private final RateLimitedLog knnLog = new RateLimitedLog(LOG, Duration.ofSeconds(30));
    private final RateLimitedLog lookupLog = new RateLimitedLog(LOG, Duration.ofSeconds(30));

    private final HttpClient client;
    private final Duration timeout;
    private final Optional<BearerToken> token;

    /** @param token presented to peers' internal endpoint (http.internal.token), if set */
    public HttpPeerClient(Duration timeout, Optional<BearerToken> token) {
        this.timeout = timeout;
        this.token = token;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    private HttpRequest.Builder authorised(HttpRequest.Builder builder) {
        token.ifPresent(t -> builder.header("Authorization", t.header()));
        return builder;
    }

    @Override
    public PartialResult knn(HostInfo peer, String store, Set<Integer> partitions, KnnQuery query) {
        try {
            HttpRequest request = authorised(HttpRequest.newBuilder(URI.create("http://" + peer.host() + ":" + peer.port() + "/internal/v1/knn")))
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JsonCodec.MAPPER.writeValueAsBytes(
                            JsonCodec.knnRequest(store, partitions, query))))
                    .build();
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                knnLog.warn("peer {}:{} answered {} for {}", peer.host(), peer.port(), response.statusCode(), store);
                return new PartialResult(Map.of(), List.copyOf(partitions));
            }
            return JsonCodec.partialResultFromJson(JsonCodec.MAPPER.readTree(response.body()));
        } catch (IOException | RuntimeException e) {
            knnLog.warn("peer {}:{} did not answer for {}: {}", peer.host(), peer.port(), store, e.toString());
            return new PartialResult(Map.of(), List.copyOf(partitions));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new PartialResult(Map.of(), List.copyOf(partitions));
        }
    }

    @Override
    public Optional<VectorRecord> item(HostInfo peer, String store, int partition, String id) {
        String query = "store=" + URLEncoder.encode(store, StandardCharsets.UTF_8) + "&partition=" + partition
                + "&id=" + URLEncoder.encode(id, StandardCharsets.UTF_8);
        try {
            HttpRequest request = authorised(HttpRequest.newBuilder(URI.create("http://" + peer.host() + ":" + peer.port()
                    + "/internal/v1/items?" + query))).timeout(timeout).GET().build();
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            JsonNode node = JsonCodec.MAPPER.readTree(response.body());
            return Optional.of(JsonCodec.itemFromJson(node));
        } catch (IOException | RuntimeException e) {
            lookupLog.warn("peer {}:{} did not answer an item lookup: {}", peer.host(), peer.port(), e.toString());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    @Override
    public Optional<byte[]> thumbnail(HostInfo peer, int partition, String id) {
        String query = "partition=" + partition + "&id=" + URLEncoder.encode(id, StandardCharsets.UTF_8);
        try {
            HttpRequest request = authorised(HttpRequest.newBuilder(URI.create("http://" + peer.host() + ":" + peer.port()
                    + "/internal/v1/thumbnails?" + query))).timeout(timeout).GET().build();
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            lookupLog.warn("peer {}:{} did not answer a thumbnail lookup: {}", peer.host(), peer.port(), e.toString());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
