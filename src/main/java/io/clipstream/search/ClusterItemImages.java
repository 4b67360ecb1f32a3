package io.clipstream.search;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Items' thumbnails from the index's thumbnail store, wherever the item's partition lives: through
 * IQv2 when this instance holds a copy (active or standby), else from the peer that does, over the
 * internal endpoint. The active copy is asked first, standbys after, as for item lookups.
 */
public final class ClusterItemImages implements ItemImages {

    private final KafkaStreams streams;
    private final HostInfo self;
    private final PeerImages peers;
    private final LocalStoreQueries local;

    public ClusterItemImages(KafkaStreams streams, HostInfo self, PeerImages peers) {
        this.streams = streams;
        this.local = new LocalStoreQueries(streams);
        this.self = self;
        this.peers = peers;
    }

    /**
     * @throws SearchException 503 while no instance holds the item's partition (starting, rebalancing)
     */
    @Override
    public Optional<byte[]> image(String id) {
        KeyQueryMetadata metadata;
        try {
            metadata = streams.queryMetadataForKey(StoreNames.THUMBNAIL_STORE, id, Serdes.String().serializer());
        } catch (RuntimeException e) {
            throw new SearchException(503, "the index is not ready to look up thumbnails (" + e.getMessage() + "); retry shortly");
        }
        if (metadata == null || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            throw new SearchException(503, "no instance holds the thumbnail partition of '" + id + "' right now; retry shortly");
        }
        List<HostInfo> candidates = new ArrayList<>();
        candidates.add(metadata.activeHost());
        candidates.addAll(metadata.standbyHosts());
        for (HostInfo host : candidates) {
            Optional<byte[]> found = host.equals(self)
                    ? local(metadata.partition(), id)
                    : peers.thumbnail(host, metadata.partition(), id);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /** The thumbnail in this instance's copy of {@code partition}; empty when none, or the partition is not here. */
    public Optional<byte[]> local(int partition, String id) {
        return local.value(StoreNames.THUMBNAIL_STORE, partition, id, byte[].class);
    }
}
