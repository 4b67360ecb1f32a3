package io.clipstream.search;

import org.apache.kafka.streams.state.HostInfo;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which instance holds which partition of a store, as the cluster's metadata says right now. Methods throw a
 * {@link RuntimeException} when the metadata cannot be read (not started, rebalancing); the searcher answers without
 * those partitions then. {@link StreamsStoreDirectory} reads Kafka Streams' metadata.
 */
public interface StoreDirectory {

    /** The instance to ask for each partition of {@code store} (materialised from {@code topic}): the active copy, else a standby. */
    Map<HostInfo, Set<Integer>> owners(String store, String topic);

    /** The partition of {@code key} and the instances holding it, active first; empty when no instance holds it now. */
    Optional<KeyOwners> ownersOf(String store, String key);

    /** Where one key lives. */
    record KeyOwners(int partition, List<HostInfo> hosts) {

        public KeyOwners {
            hosts = List.copyOf(hosts);
        }
    }
}
