package io.clipstream.topology;

import io.clipstream.schema.Modality;
import io.clipstream.schema.VectorRecord;
import io.clipstream.search.StoreNames;
import io.clipstream.store.AnnSettings;
import io.clipstream.store.OpenVectorStores;
import io.clipstream.store.VectorStoreSettings;
import io.clipstream.store.VectorStoreSupplier;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;

import java.util.List;
import java.util.Properties;

/**
 * The index application: each compacted vector topic becomes a table in a {@code VectorStore}
 * (RocksDB plus an in-memory search index). With {@code reuse.ktable.source.topics} the vector
 * topic itself is the store's changelog, so restoring an instance replays the topic and nothing
 * is stored in Kafka twice.
 */
public final class IndexTopology {

    private IndexTopology() {
    }

    /** The topology and the stores it opens (for metrics and restore logging). */
    public record Application(Topology topology, List<OpenVectorStores> stores) {
    }

    /** With the default ANN settings. */
    public static Topology build(Topics topics, ServedModel served, Serde<VectorRecord> vectors, Properties streamsConfig) {
        return application(topics, served, vectors, streamsConfig, AnnSettings.DEFAULTS).topology();
    }

    /** @param ann the graph index settings of every store partition; null for exact scans only */
    public static Application application(Topics topics, ServedModel served, Serde<VectorRecord> vectors,
                                          Properties streamsConfig, AnnSettings ann) {
        return application(topics, served, vectors, streamsConfig, ann, null);
    }

    /** @param watchlists the watchlist backfill wiring; null for none */
    public static Application application(Topics topics, ServedModel served, Serde<VectorRecord> vectors,
                                          Properties streamsConfig, AnnSettings ann, IndexWatchlists watchlists) {
        StreamsBuilder builder = new StreamsBuilder();
        OpenVectorStores images = table(builder, topics.imageVectors(), StoreNames.IMAGE_STORE, Modality.IMAGE, served,
                vectors, ann);
        OpenVectorStores texts = table(builder, topics.textVectors(), StoreNames.TEXT_STORE, Modality.TEXT, served,
                vectors, ann);
        if (watchlists != null) {
            watchlists.addTo(builder, topics, served);
        }
        Properties optimised = new Properties();
        optimised.putAll(streamsConfig);
        optimised.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.REUSE_KTABLE_SOURCE_TOPICS);
        return new Application(builder.build(optimised), List.of(images, texts));
    }

    private static OpenVectorStores table(StreamsBuilder builder, String topic, String store, Modality modality,
                                          ServedModel served, Serde<VectorRecord> vectors, AnnSettings ann) {
        Serde<VectorRecord> checked = Serdes.serdeFrom(vectors.serializer(),
                new CheckedVectorDeserializer(vectors.deserializer(), served, modality));
        VectorStoreSupplier supplier = new VectorStoreSupplier(store,
                new IndexVectorDecoder(vectors.deserializer(), served, modality, topic),
                new VectorStoreSettings(served.dimension(), VectorStoreSettings.DEFAULT_INITIAL_CAPACITY, ann));
        builder.table(topic, Consumed.with(Serdes.String(), checked),
                Materialized.<String, VectorRecord>as(supplier)
                        .withKeySerde(Serdes.String()).withValueSerde(checked)
                        // A new vector must be searchable at once, not after the next cache flush.
                        .withCachingDisabled());
        return supplier.openStores();
    }
}
