package io.clipstream.http;

import io.clipstream.watchlist.BackfillRequests;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** {@code POST /v1/watchlists/{conceptId}/backfill}: runs the concept over the images already indexed. */
public final class WatchlistBackfillHandler {

    public static final String PATH = "/v1/watchlists/";
    private static final String SUFFIX = "/backfill";

    private final BackfillRequests requests;

    public WatchlistBackfillHandler(BackfillRequests requests) {
        this.requests = requests;
    }

    public void mountOn(HttpApi api) {
        api.route(PATH, this::handle);
    }

    void handle(Exchange exchange) throws IOException {
        String path = exchange.rawPath();
        if (!path.endsWith(SUFFIX) || path.length() <= PATH.length() + SUFFIX.length()) {
            throw new Exchanges.HttpError(404, "no such endpoint; request a backfill with POST /v1/watchlists/{conceptId}/backfill");
        }
        Exchanges.requireMethod(exchange, "POST");
        String conceptId = URLDecoder.decode(path.substring(PATH.length(), path.length() - SUFFIX.length()), StandardCharsets.UTF_8);
        BackfillRequests.Requested requested;
        try {
            requested = requests.request(conceptId);
        } catch (BackfillRequests.UnknownConceptException e) {
            throw new Exchanges.HttpError(404, e.getMessage());
        } catch (org.apache.kafka.streams.errors.InvalidStateStoreException e) {
            throw new Exchanges.HttpError(503, "the index is not running yet (" + e.getMessage() + "); retry shortly");
        }
        Exchanges.json(exchange, 202, JsonCodec.MAPPER.createObjectNode()
                .put("conceptId", requested.conceptId())
                .put("partitions", requested.partitions())
                .put("status", "requested"));
    }
}
