package io.clipstream.search;

import org.apache.kafka.streams.state.HostInfo;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A cluster's metadata as a test sets it. */
final class FakeDirectory implements StoreDirectory {
    final Map<HostInfo, Set<Integer>> owners = new HashMap<>();
    RuntimeException failing;
    Optional<KeyOwners> keyOwners = Optional.empty();

    FakeDirectory owns(HostInfo host, Integer... partitions) {
        owners.put(host, Set.of(partitions));
        return this;
    }

    @Override
    public Map<HostInfo, Set<Integer>> owners(String store, String topic) {
        if (failing != null) {
            throw failing;
        }
        return owners;
    }

    @Override
    public Optional<KeyOwners> ownersOf(String store, String key) {
        return keyOwners;
    }
}
