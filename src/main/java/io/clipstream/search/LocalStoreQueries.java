package io.clipstream.search;

import io.clipstream.schema.VectorRecord;
import io.clipstream.store.KnnQuery;
import io.clipstream.store.KnnResult;
import io.clipstream.topology.VectorValue;
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

/**
 * Interactive queries against the stores of this instance only. Used for the local share of a
 * search and to answer peers on the internal endpoint. Standby copies may answer too, so search
 * keeps working (possibly a little stale) while an active task moves.
 */
public final class LocalStoreQueries {

    private final KafkaStreams streams;

    public LocalStoreQueries(KafkaStreams streams) {
        this.streams = streams;
    }

    public PartialResult knn(String store, Set<Integer> partitions, KnnQuery query) {
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

    /** The stored record of {@code id} if a local copy of its partition has it. */
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
