package io.clipstream.search;

import io.clipstream.schema.VectorRecord;
import io.clipstream.store.KnnQuery;
import org.apache.kafka.streams.state.HostInfo;

import java.util.Optional;
import java.util.Set;

/** How one instance asks another for its share of a search, over the internal HTTP endpoint. */
public interface PeerClient {

    PartialResult knn(HostInfo peer, String store, Set<Integer> partitions, KnnQuery query);

    Optional<VectorRecord> item(HostInfo peer, String store, int partition, String id);
}
