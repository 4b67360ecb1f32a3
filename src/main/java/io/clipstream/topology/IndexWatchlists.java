package io.clipstream.topology;

import io.clipstream.schema.ConceptVector;
import io.clipstream.schema.ModerationAlert;
import io.clipstream.search.StoreNames;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * The index's watchlist part: backfill requests on a topic co-partitioned with the image vectors are answered by
 * scanning the local image store partition ({@link BackfillProcessor}); and the concept vectors are kept in a global
 * store, so that a backfill can be requested by concept id on any instance.
 */
public record IndexWatchlists(Serde<ConceptVector> conceptVectors, Serde<ModerationAlert> alerts) {

    /** Global store of the concept vectors (raw record bytes, keyed by concept id), for backfill requests. */
    public static final String CONCEPT_LOOKUP_STORE = "index-watchlist-concepts";

    void addTo(StreamsBuilder builder, Topics topics, ServedModel served) {
        builder.globalTable(topics.watchlistVectors(), Consumed.with(Serdes.String(), Serdes.ByteArray()),
                Materialized.<String, byte[]>as(Stores.inMemoryKeyValueStore(CONCEPT_LOOKUP_STORE))
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.ByteArray()));
        KStream<String, Object> out = builder.stream(topics.watchlistBackfill(), Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .process(() -> new BackfillProcessor(StoreNames.IMAGE_STORE, conceptVectors.deserializer(), served,
                        topics.watchlistBackfill()), StoreNames.IMAGE_STORE);
        out.filter((key, value) -> value instanceof ModerationAlert).mapValues(value -> (ModerationAlert) value)
                .to(topics.alerts(), Produced.with(Serdes.String(), alerts));
        out.filter((key, value) -> value instanceof byte[]).mapValues(value -> (byte[]) value)
                .to(topics.deadLetters(), Produced.with(Serdes.String(), Serdes.ByteArray()));
    }
}
