package io.clipstream.search;

import io.clipstream.encoders.ClipModel;
import io.clipstream.common.EncodingException;
import io.clipstream.fetch.ImageFetcher;
import io.clipstream.schema.Target;
import io.clipstream.schema.VectorRecord;
import io.clipstream.store.KnnQuery;
import io.clipstream.store.KnnResult;
import io.clipstream.store.ScoredHit;
import io.clipstream.common.InvalidEventException;
import io.clipstream.common.VectorRecords;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one search path behind REST and the request topic: embed the query once, ask every
 * partition of the target store(s), merge, and say which partitions did not answer.
 */
public final class SearchService implements SearchBackend {

    private final ClipModel model;
    private final ClusterSearcher cluster;
    private final ImageFetcher fetcher;

    public SearchService(ClipModel model, ClusterSearcher cluster, ImageFetcher fetcher) {
        this.model = model;
        this.cluster = cluster;
        this.fetcher = fetcher;
    }

    @Override
    public SearchResult search(SearchQuery query) {
        long start = System.nanoTime();
        Optional<String> self = query.itemId();
        float[] vector = embed(query);
        // "More like this" should not answer with the item itself, so ask for one more and drop it.
        int asked = Math.min(KnnQuery.MAX_K, query.k() + (self.isPresent() ? 1 : 0));
        KnnQuery knn = KnnQuery.of(vector, asked).withFilters(query.filters());
        if (query.minScore().isPresent()) {
            knn = knn.withMinScore(query.minScore().get());
        }
        List<KnnResult> answers = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String store : stores(query.target())) {
            ClusterSearcher.StoreAnswer answer = cluster.search(store, knn);
            answers.add(answer.result());
            missing.addAll(answer.missingPartitions());
        }
        List<ScoredHit> hits = KnnResult.merge(answers, asked).hits().stream()
                .filter(hit -> self.isEmpty() || !hit.id().equals(self.get()))
                .limit(query.k())
                .toList();
        return new SearchResult(hits, (System.nanoTime() - start) / 1_000_000, missing);
    }

    /** An indexed item by id: its image record if there is one, else its caption record. */
    @Override
    public Optional<VectorRecord> item(String id) {
        Optional<VectorRecord> image = cluster.item(StoreNames.IMAGE_STORE, id);
        return image.isPresent() ? image : cluster.item(StoreNames.TEXT_STORE, id);
    }

    private float[] embed(SearchQuery query) {
        try {
            if (query.text().isPresent()) {
                return model.text().embed(List.of(query.text().get())).get(0).vector();
            }
            if (query.image().isPresent()) {
                return embedImage(query.image().get(), "image");
            }
            if (query.imageUrl().isPresent()) {
                return embedImage(fetcher.fetch(query.imageUrl().get(), "imageUrl"), query.imageUrl().get());
            }
        } catch (EncodingException e) {
            throw new SearchException(e.reason() == EncodingException.Reason.MODEL_ERROR ? 500 : 400, e.getMessage(), e);
        } catch (InvalidEventException e) {
            throw new SearchException(400, e.getMessage(), e);
        }
        String id = query.itemId().orElseThrow();
        VectorRecord record = item(id).orElseThrow(() -> new SearchException(404,
                "item '" + id + "' is not indexed; search by text or image, or index the item first"));
        return VectorRecords.toArray(record.getVector());
    }

    private float[] embedImage(byte[] bytes, String name) {
        return model.image().embedPrepared(List.of(model.image().prepare(bytes, name)))[0];
    }

    private static List<String> stores(Target target) {
        return switch (target) {
            case IMAGE -> List.of(StoreNames.IMAGE_STORE);
            case TEXT -> List.of(StoreNames.TEXT_STORE);
            case ANY -> List.of(StoreNames.IMAGE_STORE, StoreNames.TEXT_STORE);
        };
    }
}
