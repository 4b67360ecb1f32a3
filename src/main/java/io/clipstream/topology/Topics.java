package io.clipstream.topology;

/**
 * The topic names the applications read and write; each is a setting (topics.*).
 *
 * @param thumbnails   small JPEG previews of images that arrived as bytes (compacted, keyed by item id)
 * @param watchlists   moderation concepts: standing queries with a threshold and label (compacted)
 * @param alerts       matches of a newly embedded or backfilled image against a watchlist concept
 * @param annotations  zero-shot labels of each embedded image
 * @param watchlistVectors  the embedder's embedded active concepts (compacted, internal), read whole by every instance
 * @param watchlistBackfill requests to run a concept over the indexed images, one per partition of the image vectors
 */
public record Topics(String images, String captions, String imageVectors, String textVectors, String deadLetters,
                     String searchRequests, String searchResponses, String thumbnails, String watchlists,
                     String alerts, String annotations, String watchlistVectors, String watchlistBackfill) {

    public static final Topics DEFAULT = new Topics("media.images", "media.captions", "vectors.image", "vectors.text",
            "clipstream.dlq", "search.requests", "search.responses", "media.thumbnails", "watchlists",
            "moderation.alerts", "annotations", "watchlists.vectors", "watchlists.backfill");
}
