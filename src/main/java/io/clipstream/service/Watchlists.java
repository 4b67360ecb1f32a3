package io.clipstream.service;

import io.clipstream.config.ClipstreamConfig;
import io.clipstream.encoders.ClipModel;
import io.clipstream.http.HttpApi;
import io.clipstream.http.WatchlistBackfillHandler;
import io.clipstream.schema.ConceptVector;
import io.clipstream.schema.ModerationAlert;
import io.clipstream.schema.WatchConcept;
import io.clipstream.serde.AvroSerdes;
import io.clipstream.topology.EmbedderWatchlists;
import io.clipstream.topology.IndexWatchlists;
import io.clipstream.watchlist.BackfillRequests;
import io.clipstream.watchlist.ConceptSet;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.time.Duration;
import java.util.Properties;

/** Wires watchlists into the service: the embedder's concept scoring, the index's backfill and its REST trigger. */
final class Watchlists {

    private Watchlists() {
    }

    static EmbedderWatchlists embedder(ClipstreamConfig config, ClipModel model, AvroSerdes serdes, MeterRegistry metrics) {
        ConceptSet concepts = new ConceptSet(model.dimension(), config.watchlists().maxConcepts());
        Gauge.builder("clipstream.watchlist.concepts", concepts, ConceptSet::size)
                .description("active watchlist concepts this embedder holds").register(metrics);
        Gauge.builder("clipstream.watchlist.concepts.left.out", concepts, ConceptSet::leftOut)
                .description("active concepts not scored because there are more than watchlists.max.concepts").register(metrics);
        return new EmbedderWatchlists(concepts, serdes.value(WatchConcept.class).deserializer(), serdes.value(ConceptVector.class),
                serdes.value(ModerationAlert.class).serializer());
    }

    static IndexWatchlists index(AvroSerdes serdes) {
        return new IndexWatchlists(serdes.value(ConceptVector.class), serdes.value(ModerationAlert.class));
    }

    /** Mounts {@code POST /v1/watchlists/{id}/backfill}; returns the producer it writes requests with, to close. */
    static AutoCloseable mountBackfill(ClipstreamConfig config, KafkaStreams index, TopicProvisioner topics, HttpApi http) {
        Properties props = StreamsProperties.common(config);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        BackfillRequests requests = new BackfillRequests(id -> {
            ReadOnlyKeyValueStore<String, byte[]> store = index.store(StoreQueryParameters.fromNameAndType(
                    IndexWatchlists.CONCEPT_LOOKUP_STORE, QueryableStoreTypes.<String, byte[]>keyValueStore()));
            return store.get(id);
        }, producer, config.topics().watchlistBackfill(), config.topics().imageVectors(), topics::partitions);
        new WatchlistBackfillHandler(requests).mountOn(http);
        return () -> producer.close(Duration.ofSeconds(10));
    }
}
