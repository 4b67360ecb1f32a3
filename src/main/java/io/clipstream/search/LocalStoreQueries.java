package io.clipstream.search;

import io.clipstream.schema.VectorRecord;
import io.clipstream.store.KnnQuery;
import io.clipstream.store.KnnResult;
import io.clipstream.store.VectorValue;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.state.ValueAndTimestamp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Interactive queries against the stores of this instance only. Used for the local share of a
 * search and to answer peers on the internal endpoint. Standby copies may answer too, so search
 * keeps working (possibly a little stale) while an active task moves.
 */
public final class LocalStoreQueries implements PartitionQueries {

    private final KafkaStreams streams;
    private final Executor partitionSearches;

    /** Queries that search the asked partitions one after another, in the calling thread. */
    public LocalStoreQueries(KafkaStreams streams) {
        this(streams, Runnable::run);
    }

    /**
     * @param partitionSearches where the partitions of one search run side by side (Kafka Streams itself answers a
     *                          multi-partition query in the calling thread, one partition after another)
     */
    public LocalStoreQueries(KafkaStreams streams, Executor partitionSearches) {
        this.streams = streams;
        this.partitionSearches = partitionSearches;
    }

    /** Searched in parallel, one partition per task of {@code partitionSearches}. */
    @Override
    public PartialResult knn(String store, Set<Integer> partitions, KnnQuery query) {
        if (partitions.size() < 2) {
            return knnInThisThread(store, partitions, query);
        }
        List<CompletableFuture<PartialResult>> searches = new ArrayList<>(partitions.size());
        for (int partition : partitions) {
            searches.add(CompletableFuture.supplyAsync(() -> knnInThisThread(store, Set.of(partition), query),
                    partitionSearches));
        }
        Map<Integer, KnnResult> answered = new HashMap<>();
        List<Integer> missing = new ArrayList<>();
        for (CompletableFuture<PartialResult> search : searches) {
            PartialResult one = search.join();
            answered.putAll(one.answered());
            missing.addAll(one.missing());
        }
        return new PartialResult(answered, missing);
    }

    private PartialResult knnInThisThread(String store, Set<Integer> partitions, KnnQuery query) {
        Map<Integer, KnnResult> answered = new HashMap<>();
        List<Integer> missing = new ArrayList<>();
        StateQueryResult<KnnResult> result;
        try {
            result = streams.query(StateQueryRequest.inStore(store).withQuery(query).withPartitions(partitions));
        } catch (RuntimeException e) {
            // Not started, shutting down or rebalancing: every asked partition is missing, not an error.
            return new PartialResult(Map.of(), List.copyOf(partitions));
        }
        for (int partition : partitions) {
            QueryResult<KnnResult> partial = result.getPartitionResults().get(partition);
            if (partial != null && partial.isSuccess()) {
                answered.put(partition, partial.getResult());
            } else {
                missing.add(partition);
            }
        }
        return new PartialResult(answered, missing);
    }

    @Override
    public Optional<VectorRecord> item(String store, int partition, String id) {
        try {
            // The store hands back the record's bytes; only an item lookup needs them decoded in full.
            return value(store, partition, id, VectorValue.class).map(VectorValue::record);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The value stored under {@code id} in this instance's copy of {@code partition} of a key-value
     * store (timestamped or not); empty when absent, or when the partition is not here or not
     * queryable right now (starting, shutting down, rebalancing), so the caller can try another copy.
     */
    public <V> Optional<V> value(String store, int partition, String id, Class<V> type) {
        try {
            StateQueryResult<Object> result = streams.query(StateQueryRequest.inStore(store)
                    .withQuery(KeyQuery.<String, Object>withKey(id)).withPartitions(Set.of(partition)));
            QueryResult<Object> partial = result.getPartitionResults().get(partition);
            if (partial == null || !partial.isSuccess() || partial.getResult() == null) {
                return Optional.empty();
            }
            Object value = partial.getResult();
            if (value instanceof ValueAndTimestamp<?> timestamped) {
                value = timestamped.value();
            }
            return Optional.ofNullable(type.cast(value));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
