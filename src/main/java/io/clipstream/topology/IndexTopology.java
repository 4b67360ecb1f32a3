package io.clipstream.topology;

import io.clipstream.store.VectorValue;
import io.clipstream.index.AnnSettings;
import io.clipstream.index.SegmentMaintenance;
import io.clipstream.index.SegmentSettings;
import io.clipstream.schema.Modality;
import io.clipstream.schema.VectorRecord;
import io.clipstream.search.StoreNames;
import io.clipstream.serde.VectorRecordDecoder;
import io.clipstream.store.DecodedHandoff;
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
import org.apache.kafka.streams.state.Stores;

import java.util.List;
import java.util.Properties;
import java.util.function.Function;

/**
 * The index application: each compacted vector topic becomes a table in a {@code VectorStore}
 * (RocksDB plus an in-memory search index). The vector topic itself is the store's changelog (a
 * read-only state store; the thumbnails' table has the same through {@code reuse.ktable.source.topics}),
 * so restoring an instance replays the topic and nothing is stored in Kafka twice.
 *
 * <p>A vector is decoded once on its way from the topic to the index: the table's source deserializer decodes and
 * checks it ({@link CheckedVectorDeserializer}), the table stores the bytes it came with ({@link WireVectorSerializer})
 * and hands the decoded vector to the store's put ({@link DecodedHandoff}), nothing reads the old value first
 * ({@link VectorTableWriter}), and reading a value back from the store decodes nothing until asked
 * ({@link StoredVectorDeserializer}).
 */
public final class IndexTopology {

    private IndexTopology() {
    }

    /** The topology and the stores it opens (for metrics and restore logging). */
    public record Application(Topology topology, List<OpenVectorStores> stores) {
    }

    /** With the default ANN settings. */
    public static Topology build(Topics topics, ServedModel served, VectorRecordDecoder vectors, Properties streamsConfig) {
        return application(topics, served, vectors, streamsConfig, AnnSettings.DEFAULTS).topology();
    }

    /** @param ann the graph index settings of every store partition; null for exact scans only */
    public static Application application(Topics topics, ServedModel served, VectorRecordDecoder vectors,
                                          Properties streamsConfig, AnnSettings ann) {
        return application(topics, served, vectors, streamsConfig, ann, null);
    }

    /** @param watchlists the watchlist backfill wiring; null for none */
    public static Application application(Topics topics, ServedModel served, VectorRecordDecoder vectors,
                                          Properties streamsConfig, AnnSettings ann, IndexWatchlists watchlists) {
        return application(topics, served, vectors, streamsConfig, ann, SegmentSettings.DEFAULTS, watchlists);
    }

    /** @param segments how the stores' segments grow, merge and persist */
    public static Application application(Topics topics, ServedModel served, VectorRecordDecoder vectors,
                                          Properties streamsConfig, AnnSettings ann, SegmentSettings segments,
                                          IndexWatchlists watchlists) {
        IndexStreamsBuilder builder = new IndexStreamsBuilder();
        OpenVectorStores images = table(builder.topologySoFar(), topics.imageVectors(), StoreNames.IMAGE_STORE,
                Modality.IMAGE, served, vectors, ann, segments);
        OpenVectorStores texts = table(builder.topologySoFar(), topics.textVectors(), StoreNames.TEXT_STORE,
                Modality.TEXT, served, vectors, ann, segments);
        thumbnails(builder, topics.thumbnails());
        if (watchlists != null) {
            watchlists.addTo(builder, topics, served);
        }
        Properties optimised = new Properties();
        optimised.putAll(streamsConfig);
        optimised.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.REUSE_KTABLE_SOURCE_TOPICS);
        return new Application(builder.build(optimised), List.of(images, texts));
    }

    /**
     * Thumbnails in a plain RocksDB store beside the vector stores, their topic as changelog like
     * theirs, so the store is as large as the compacted topic and no larger. Values are the raw
     * JPEG bytes the embedder wrote; nothing to validate but presence.
     */
    private static void thumbnails(StreamsBuilder builder, String topic) {
        builder.table(topic, Consumed.with(Serdes.String(), Serdes.ByteArray()),
                Materialized.<String, byte[]>as(Stores.persistentKeyValueStore(StoreNames.THUMBNAIL_STORE))
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.ByteArray())
                        .withCachingDisabled());
    }

    /**
     * A vector table: its topic through the checking deserializer into a {@code VectorStore} that uses the topic as its
     * changelog. Built with the processor API rather than as a DSL table, for two reasons the DSL cannot meet: the
     * store reads its values back with a deserializer of its own ({@link StoredVectorDeserializer}, lazy) where a DSL
     * table would use the source's (which decodes and checks), and {@link VectorTableWriter} does not read each old
     * value before the put.
     */
    private static OpenVectorStores table(Topology topology, String topic, String store, Modality modality,
                                          ServedModel served, VectorRecordDecoder vectors, AnnSettings ann,
                                          SegmentSettings segments) {
        IndexVectorDecoder checks = new IndexVectorDecoder(vectors, served, modality, topic);
        Function<byte[], VectorRecord> records = wire -> vectors.record(topic, wire);
        DecodedHandoff handoff = new DecodedHandoff();
        VectorStoreSettings settings = new VectorStoreSettings(served.dimension(), served.modelId(), ann, segments);
        VectorStoreSupplier supplier = new VectorStoreSupplier(store, checks, settings, handoff,
                SegmentMaintenance.shared(segments.buildThreads()));
        Serde<VectorValue> stored = Serdes.serdeFrom(new WireVectorSerializer(handoff), new StoredVectorDeserializer(records));
        topology.addReadOnlyStateStore(
                Stores.timestampedKeyValueStoreBuilder(supplier, Serdes.String(), stored)
                        // A new vector must be searchable at once, not after the next cache flush.
                        .withCachingDisabled(),
                store + "-source", Serdes.String().deserializer(), new CheckedVectorDeserializer(checks, records), topic,
                store + "-writer", () -> new VectorTableWriter(store));
        return supplier.openStores();
    }

    /**
     * Lets the vector tables' processor-API nodes into the topology before the DSL writes its own at build time, so that
     * they stay sub-topologies 0 and 1 as they were when they were DSL tables: task ids name the local state
     * directories, and a renumbering would strand every instance's state.
     */
    private static final class IndexStreamsBuilder extends StreamsBuilder {
        Topology topologySoFar() {
            return topology;
        }
    }
}
