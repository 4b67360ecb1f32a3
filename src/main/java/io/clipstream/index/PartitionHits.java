package io.clipstream.index;

import java.util.List;

/**
 * What one partition answers: hits best first, and how many vectors were compared with the query (every live vector
 * an exact scan looked at, the nodes a walk visited).
 */
public record PartitionHits(List<ItemHit> hits, long scanned) {

    public PartitionHits {
        hits = List.copyOf(hits);
    }
}
