package io.clipstream.search;

import io.clipstream.schema.VectorRecord;
import io.clipstream.store.KnnQuery;

import java.util.Optional;
import java.util.Set;

/**
 * The stores of this instance, asked for some of their partitions: the local share of a cluster search, and what the
 * internal endpoint answers peers with. {@link LocalStoreQueries} asks Kafka Streams.
 */
public interface PartitionQueries {

    /** The k nearest of each asked partition held here; the others are reported missing, never an error. */
    PartialResult knn(String store, Set<Integer> partitions, KnnQuery query);

    /** The stored record of {@code id} if this instance's copy of {@code partition} has it. */
    Optional<VectorRecord> item(String store, int partition, String id);
}
