package io.clipstream.search;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The {@link StoreDirectory} of a Kafka Streams application, from its instances' metadata. */
public final class StreamsStoreDirectory implements StoreDirectory {

    private final KafkaStreams streams;

    public StreamsStoreDirectory(KafkaStreams streams) {
        this.streams = streams;
    }

    @Override
    public Map<HostInfo, Set<Integer>> owners(String store, String topic) {
        Map<Integer, HostInfo> chosen = new HashMap<>();
        Map<Integer, HostInfo> standby = new HashMap<>();
        for (StreamsMetadata instance : streams.streamsMetadataForStore(store)) {
            for (TopicPartition tp : instance.topicPartitions()) {
                if (tp.topic().equals(topic)) {
                    chosen.put(tp.partition(), instance.hostInfo());
                }
            }
            for (TopicPartition tp : instance.standbyTopicPartitions()) {
                if (tp.topic().equals(topic)) {
                    standby.putIfAbsent(tp.partition(), instance.hostInfo());
                }
            }
        }
        standby.forEach(chosen::putIfAbsent);
        Map<HostInfo, Set<Integer>> byHost = new HashMap<>();
        chosen.forEach((partition, host) -> byHost.computeIfAbsent(host, h -> new HashSet<>()).add(partition));
        return byHost;
    }

    @Override
    public Optional<KeyOwners> ownersOf(String store, String key) {
        KeyQueryMetadata metadata = streams.queryMetadataForKey(store, key, Serdes.String().serializer());
        if (metadata == null || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            return Optional.empty();
        }
        List<HostInfo> hosts = new ArrayList<>();
        hosts.add(metadata.activeHost());
        hosts.addAll(metadata.standbyHosts());
        return Optional.of(new KeyOwners(metadata.partition(), hosts));
    }
}
