package io.clipstream.topology;

import io.clipstream.schema.ConceptVector;
import io.clipstream.schema.ModerationAlert;
import io.clipstream.schema.WatchConcept;
import io.clipstream.watchlist.ConceptSet;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The embedder's watchlist part: concepts from the watchlists topic are embedded and published as concept vectors;
 * a global store reads every concept vector back into this instance's {@link ConceptSet}, which the image processor
 * scores each batch against; alerts go to the alerts topic from the image processor.
 */
public record EmbedderWatchlists(ConceptSet concepts, Deserializer<WatchConcept> conceptEvents,
                                 Serde<ConceptVector> conceptVectors, Serializer<ModerationAlert> alerts) {

    public static final String CONCEPT_STORE = "embedder-watchlist-concepts";
    static final String ALERT_SINK = "alerts";

    void addTo(Topology topology, Topics topics, io.clipstream.encoders.ClipModel model, String imageProcessor) {
        topology.addSource("watchlists", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), topics.watchlists());
        topology.addProcessor("embed-concepts", () -> new ConceptEmbedProcessor(model, conceptEvents, concepts,
                topics.watchlists(), "concept-vectors", "concept-dead-letters"), "watchlists");
        topology.addSink("concept-vectors", topics.watchlistVectors(), Serdes.String().serializer(), conceptVectors.serializer(),
                "embed-concepts");
        topology.addSink("concept-dead-letters", topics.deadLetters(), Serdes.String().serializer(),
                Serdes.ByteArray().serializer(), "embed-concepts");
        // In memory and unlogged: rebuilt from the (compacted) concept-vector topic at every start, so the updater
        // sees every concept and the ConceptSet is complete.
        topology.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(CONCEPT_STORE), Serdes.String(),
                        Serdes.ByteArray()).withLoggingDisabled(), "concept-vectors-source", Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer(), topics.watchlistVectors(), "concept-vectors-update",
                () -> new ConceptStoreUpdater(CONCEPT_STORE, conceptVectors.deserializer(), concepts, model.id(),
                        topics.watchlistVectors()));
        topology.addSink(ALERT_SINK, topics.alerts(), Serdes.String().serializer(), alerts, imageProcessor);
    }

    WatchlistScorer scorer(String modelId) {
        return new WatchlistScorer(concepts, modelId, ALERT_SINK);
    }
}
