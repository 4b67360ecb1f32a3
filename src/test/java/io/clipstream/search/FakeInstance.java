package io.clipstream.search;

import io.clipstream.schema.VectorRecord;
import io.clipstream.store.KnnQuery;
import io.clipstream.store.KnnResult;
import io.clipstream.store.ScoredHit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/** One instance's stores: answers what it was told, for the partitions asked. */
final class FakeInstance implements PartitionQueries {
    /** Hits by store, then partition; the store {@link #ANY_STORE} answers for every store. */
    private final Map<String, Map<Integer, List<ScoredHit>>> hits = new HashMap<>();
    static final String ANY_STORE = "*";
    private final Map<Integer, VectorRecord> records = new HashMap<>();
    final Map<String, Set<Integer>> asked = new ConcurrentHashMap<>();
    final List<Integer> itemAsked = new ArrayList<>();
    private RuntimeException failure;
    private CountDownLatch blockedUntil;

    FakeInstance answers(int partition, ScoredHit... best) {
        return answers(ANY_STORE, partition, best);
    }

    FakeInstance answers(String store, int partition, ScoredHit... best) {
        hits.computeIfAbsent(store, s -> new HashMap<>()).put(partition, List.of(best));
        return this;
    }

    void holds(int partition, VectorRecord record) {
        records.put(partition, record);
    }

    void fails(RuntimeException e) {
        failure = e;
    }

    void blocksUntil(CountDownLatch latch) {
        blockedUntil = latch;
    }

    @Override
    public PartialResult knn(String store, Set<Integer> partitions, KnnQuery query) {
        asked.put(store, partitions);
        if (failure != null) {
            throw failure;
        }
        if (blockedUntil != null) {
            try {
                blockedUntil.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Map<Integer, KnnResult> answered = new HashMap<>();
        List<Integer> missing = new ArrayList<>();
        for (int partition : partitions) {
            List<ScoredHit> best = hits.getOrDefault(store, hits.getOrDefault(ANY_STORE, Map.of())).get(partition);
            if (best != null) {
                answered.put(partition, new KnnResult(best.subList(0, Math.min(query.k(), best.size())), best.size()));
            } else {
                missing.add(partition);
            }
        }
        return new PartialResult(answered, missing);
    }

    @Override
    public Optional<VectorRecord> item(String store, int partition, String id) {
        itemAsked.add(partition);
        return Optional.ofNullable(records.get(partition));
    }
}
