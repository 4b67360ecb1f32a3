package io.clipstream.index;

import java.util.List;

/**
 * The answer of a {@link VectorIndex}: hits best first, and how many vectors the index compared with the query
 * (every vector for an exact scan; the visited nodes for a graph).
 */
public record IndexSearchResult(List<IndexHit> hits, long scanned) {

    public IndexSearchResult {
        hits = List.copyOf(hits);
    }
}
