package io.clipstream.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The answer to a {@link KnnQuery}: hits best first ({@link ScoredHit#BEST_FIRST}) and how many vectors were compared
 * with the query.
 */
public record KnnResult(List<ScoredHit> hits, long scanned) {

    public KnnResult {
        hits = List.copyOf(hits);
    }

    /**
     * Merges per-partition answers into one global top k. Each partition's hits are its own top k, so the global
     * top k is among them.
     */
    public static KnnResult merge(Collection<KnnResult> partials, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("merge k is " + k + ": ask for at least one hit");
        }
        List<ScoredHit> all = new ArrayList<>();
        long scanned = 0;
        for (KnnResult partial : partials) {
            all.addAll(partial.hits());
            scanned += partial.scanned();
        }
        all.sort(ScoredHit.BEST_FIRST);
        return new KnnResult(all.subList(0, Math.min(k, all.size())), scanned);
    }
}
