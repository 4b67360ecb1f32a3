package io.clipstream.watchlist;

/**
 * Watchlists (standing moderation queries).
 *
 * @param enabled     whether the embedder scores images against the watchlist concepts and the index answers backfills
 * @param maxConcepts the most active concepts one instance holds in its concept matrix; concepts beyond it are
 *                    dead-lettered (or, when several arrive at once, left out of the matrix with a warning)
 */
public record WatchlistSettings(boolean enabled, int maxConcepts) {

    public static final int DEFAULT_MAX_CONCEPTS = 10_000;
    /** A bound on memory: 100,000 concepts of dimension 1024 are 400 MB of floats. */
    public static final int LIMIT_MAX_CONCEPTS = 100_000;

    public static final WatchlistSettings DEFAULT = new WatchlistSettings(true, DEFAULT_MAX_CONCEPTS);

    public WatchlistSettings {
        if (maxConcepts < 1 || maxConcepts > LIMIT_MAX_CONCEPTS) {
            throw new IllegalArgumentException("watchlists.max.concepts is " + maxConcepts + ": give 1 to "
                    + LIMIT_MAX_CONCEPTS + " (the concept matrix holds that many vectors in memory on every embedder)");
        }
    }
}
