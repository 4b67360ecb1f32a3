package io.clipstream.watchlist;

/** Receives each (batch row, concept) pair whose score reached the concept's threshold. */
@FunctionalInterface
public interface MatchSink {
    void match(int row, int concept, float score);
}
