package io.clipstream.search;

import org.apache.kafka.streams.state.HostInfo;

import java.util.Optional;

/** How one instance asks the holder of a thumbnail partition for an item's thumbnail. */
public interface PeerImages {

    /** The thumbnail the peer's copy of {@code partition} holds for {@code id}; empty when none or unreachable. */
    Optional<byte[]> thumbnail(HostInfo peer, int partition, String id);
}
