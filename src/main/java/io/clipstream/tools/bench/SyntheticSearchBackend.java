package io.clipstream.tools.bench;

import io.clipstream.encoders.ClipModel;
import io.clipstream.schema.Modality;
import io.clipstream.schema.VectorRecord;
import io.clipstream.search.SearchBackend;
import io.clipstream.search.SearchQuery;
import io.clipstream.search.SearchResult;
import io.clipstream.store.ScoredHit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * A search backend with the work of a real one and none of its infrastructure, for measuring the
 * HTTP server alone: the query text is embedded by the model, scored exactly against {@code count}
 * random unit vectors held in memory, and the top k returned as hits with metadata, so a search
 * costs what embedding, a scan and a k-hit JSON answer cost.
 */
public final class SyntheticSearchBackend implements SearchBackend {

    private final ClipModel model;
    private final int dimension;
    private final float[] vectors;
    private final int count;

    public SyntheticSearchBackend(ClipModel model, int count, long seed) {
        this.model = model;
        this.dimension = model.dimension();
        this.count = count;
        this.vectors = new float[count * dimension];
        Random random = new Random(seed);
        for (int i = 0; i < count; i++) {
            double norm = 0;
            for (int d = 0; d < dimension; d++) {
                float v = (float) random.nextGaussian();
                vectors[i * dimension + d] = v;
                norm += v * v;
            }
            float scale = (float) (1 / Math.sqrt(norm));
            for (int d = 0; d < dimension; d++) {
                vectors[i * dimension + d] *= scale;
            }
        }
    }

    @Override
    public SearchResult search(SearchQuery query) {
        long start = System.nanoTime();
        float[] q = model.text().embed(List.of(query.text().orElse(""))).get(0).vector();
        int k = Math.min(query.k(), count);
        PriorityQueue<float[]> top = new PriorityQueue<>(k + 1, (a, b) -> Float.compare(a[0], b[0]));
        for (int i = 0; i < count; i++) {
            float score = 0;
            int base = i * dimension;
            for (int d = 0; d < dimension; d++) {
                score += q[d] * vectors[base + d];
            }
            if (top.size() < k) {
                top.add(new float[]{score, i});
            } else if (score > top.peek()[0]) {
                top.poll();
                top.add(new float[]{score, i});
            }
        }
        List<ScoredHit> hits = new ArrayList<>(top.size());
        for (float[] entry : top) {
            int i = (int) entry[1];
            hits.add(new ScoredHit("item-" + i, Modality.TEXT, entry[0], Map.of("tenant", "bench", "n", Integer.toString(i)),
                    "a caption of item " + i));
        }
        hits.sort(ScoredHit.BEST_FIRST);
        return new SearchResult(hits, (System.nanoTime() - start) / 1_000_000, List.of());
    }

    @Override
    public Optional<VectorRecord> item(String id) {
        return Optional.empty();
    }
}
