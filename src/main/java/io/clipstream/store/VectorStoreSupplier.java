package io.clipstream.store;

import io.clipstream.index.SegmentMaintenance;
import io.clipstream.schema.VectorRecord;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * Builds one {@link VectorStore} per task for a KTable over a vector topic:
 * <pre>{@code
 * builder.table("vectors.image", Consumed.with(Serdes.String(), vectorSerde), supplier.materialized(vectorSerde));
 * }</pre>
 * with {@code topology.optimization=reuse.ktable.source.topics} so that the vector topic serves as the changelog.
 *
 * <p>The supplier also keeps track of the stores it has opened ({@link #openStores()}) and counts the records they
 * have rejected ({@link #rejectedCount()}), for metrics.
 */
public final class VectorStoreSupplier implements KeyValueBytesStoreSupplier {

    private final String name;
    private final VectorDecoder decoder;
    private final VectorStoreSettings settings;
    private final KeyValueBytesStoreSupplier rocksSupplier;
    private final OpenVectorStores openStores = new OpenVectorStores();
    private final LongAdder rejected = new LongAdder();
    private final DecodedHandoff handoff;
    private final SegmentMaintenance maintenance;

    /** Stores whose background work runs on the JVM's shared {@link SegmentMaintenance}. */
    public VectorStoreSupplier(String name, VectorDecoder decoder, VectorStoreSettings settings) {
        this(name, decoder, settings, new DecodedHandoff(),
                SegmentMaintenance.shared(settings.segments().buildThreads()));
    }

    /**
     * @param handoff     shared with the KTable's value serializer, which leaves the decoded vector there
     * @param maintenance builds, merges and persists the stores' segments
     */
    public VectorStoreSupplier(String name, VectorDecoder decoder, VectorStoreSettings settings, DecodedHandoff handoff,
                               SegmentMaintenance maintenance) {
        this.name = Objects.requireNonNull(name, "name");
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.handoff = Objects.requireNonNull(handoff, "handoff");
        this.maintenance = Objects.requireNonNull(maintenance, "maintenance");
        // Timestamped, because a non-timestamped persistent store gets an adapter that refuses custom IQv2 queries.
        this.rocksSupplier = Stores.persistentTimestampedKeyValueStore(name);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public KeyValueStore<Bytes, byte[]> get() {
        return new VectorStore(rocksSupplier.get(), decoder, settings, openStores, rejected, handoff, maintenance);
    }

    @Override
    public String metricsScope() {
        return rocksSupplier.metricsScope();
    }

    /**
     * The materialisation the index's KTables use: this store, String keys, and no record cache. The cache would
     * hold back each put until the next commit or eviction (up to {@code commit.interval.ms}), so new vectors would
     * reach the index, and searches, that much later; a table nothing downstream consumes gains nothing from it.
     */
    public Materialized<String, VectorRecord, KeyValueStore<Bytes, byte[]>> materialized(Serde<VectorRecord> valueSerde) {
        return Materialized.<String, VectorRecord>as(this)
                .withKeySerde(Serdes.String())
                .withValueSerde(valueSerde)
                .withCachingDisabled();
    }

    public OpenVectorStores openStores() {
        return openStores;
    }

    /** Records rejected by every store this supplier built, since it was created. */
    public long rejectedCount() {
        return rejected.sum();
    }

    public VectorStoreSettings settings() {
        return settings;
    }

    /** Where the KTable's value serializer leaves decoded vectors for this supplier's stores. */
    public DecodedHandoff handoff() {
        return handoff;
    }
}
