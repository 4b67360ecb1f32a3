package io.clipstream.store;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.query.FailureReason;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.function.Function;

/**
 * How a {@link VectorStore} answers IQv2 queries: a {@link KnnQuery} from the index, a {@link KeyQuery} with a plain
 * RocksDB read, every other query by RocksDB itself. A bounded query waits for nothing: it fails with
 * {@code NOT_UP_TO_BOUND} if this partition has not yet seen the bound's offsets.
 */
final class VectorStoreQueries {

    private final String store;
    private final KeyValueStore<Bytes, byte[]> rocks;
    private final Function<KnnQuery, KnnResult> search;

    VectorStoreQueries(String store, KeyValueStore<Bytes, byte[]> rocks, Function<KnnQuery, KnnResult> search) {
        this.store = store;
        this.rocks = rocks;
        this.search = search;
    }

    <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config, TaskId task) {
        if (query instanceof KeyQuery<?, ?> keyQuery) {
            return keyQuery(keyQuery, positionBound, config, task);
        }
        if (!(query instanceof KnnQuery knn)) {
            return rocks.query(query, positionBound, config);
        }
        long start = System.nanoTime();
        Position position = rocks.getPosition().copy();
        QueryResult<KnnResult> result;
        if (!reached(position, positionBound, task)) {
            result = QueryResult.notUpToBound(position, positionBound, task.partition());
        } else {
            try {
                result = QueryResult.forResult(search.apply(knn));
            } catch (IllegalArgumentException | IllegalStateException e) {
                result = QueryResult.forFailure(FailureReason.STORE_EXCEPTION,
                        "vector store '" + store + "' task " + task + ": " + e.getMessage());
            }
        }
        return finish(result, position, config, start);
    }

    /**
     * An item lookup, which must not go through {@code RocksDBStore.query}: that holds RocksDB's position lock while
     * its get takes the store lock, and put takes the two the other way round, so a lookup arriving during a write
     * could deadlock this partition's stream thread for good (KAFKA-19629, seen as GET /v1/items hanging while the
     * index consumed). {@code rocks.get} takes the store lock alone.
     */
    private <R> QueryResult<R> keyQuery(KeyQuery<?, ?> query, PositionBound positionBound, QueryConfig config, TaskId task) {
        long start = System.nanoTime();
        // Read the position before the value: the value is then at least as new as the position reported with it.
        Position position = rocks.getPosition().copy();
        QueryResult<byte[]> result;
        if (!reached(position, positionBound, task)) {
            result = QueryResult.notUpToBound(position, positionBound, task.partition());
        } else if (!(query.getKey() instanceof Bytes key)) {
            result = QueryResult.forFailure(FailureReason.STORE_EXCEPTION, "vector store '" + store + "' task " + task
                    + ": a KeyQuery must reach the store with a serialised (Bytes) key, got "
                    + (query.getKey() == null ? "null" : query.getKey().getClass().getName()));
        } else {
            result = QueryResult.forResult(rocks.get(key));
        }
        return finish(result, position, config, start);
    }

    private <T, R> QueryResult<R> finish(QueryResult<T> result, Position position, QueryConfig config, long start) {
        if (config.isCollectExecutionInfo()) {
            result.addExecutionInfo("Handled in " + VectorStore.class + " in " + (System.nanoTime() - start) + "ns");
        }
        result.setPosition(position);
        @SuppressWarnings("unchecked") // a KnnQuery is a Query<KnnResult>; a KeyQuery at this layer a Query<byte[]>
        QueryResult<R> typed = (QueryResult<R>) (QueryResult<?>) result;
        return typed;
    }

    /** Whether this partition has seen at least the bound's offset for its own partition of every bounded topic. */
    private static boolean reached(Position position, PositionBound bound, TaskId task) {
        if (bound.isUnbounded()) {
            return true;
        }
        int partition = task.partition();
        Position required = bound.position();
        for (String topic : required.getTopics()) {
            Long needed = required.getPartitionPositions(topic).get(partition);
            if (needed == null) {
                continue;
            }
            Long seen = position.getPartitionPositions(topic).get(partition);
            if (seen == null || seen < needed) {
                return false;
            }
        }
        return true;
    }
}
