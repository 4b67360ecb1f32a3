package io.clipstream.search;

import io.clipstream.store.ScoredHit;

import java.util.List;

/**
 * Ranked hits, best first, the time taken, and the store partitions that did not answer (as
 * {@code store-partition}); a non-empty list means the hits may be incomplete.
 */
public record SearchResult(List<ScoredHit> hits, long tookMs, List<String> missingPartitions) {

    public SearchResult {
        hits = List.copyOf(hits);
        missingPartitions = List.copyOf(missingPartitions);
    }
}
