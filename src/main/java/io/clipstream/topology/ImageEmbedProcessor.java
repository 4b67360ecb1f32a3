package io.clipstream.topology;

import io.clipstream.encoders.ClipModel;
import io.clipstream.encoders.PreparedImage;
import io.clipstream.fetch.ImageFetcher;
import io.clipstream.schema.ImageEvent;
import io.clipstream.schema.Modality;
import org.apache.kafka.common.serialization.Deserializer;

import java.nio.ByteBuffer;
import java.util.List;

/** Embeds image events: bytes inline or fetched from their URL. */
final class ImageEmbedProcessor extends BatchingEmbedProcessor<ImageEvent, PreparedImage> {

    private final ClipModel model;
    private final Deserializer<ImageEvent> events;
    private final ImageFetcher fetcher;
    private final String topic;
    private final WatchlistScorer watchlists;

    ImageEmbedProcessor(String bufferStore, BatchSettings batch, String vectorSink, String deadLetterSink, ClipModel model,
                        Deserializer<ImageEvent> events, ImageFetcher fetcher, String topic) {
        this(bufferStore, batch, vectorSink, deadLetterSink, model, events, fetcher, topic, null);
    }

    /** @param watchlists scores each embedded batch against the watchlist concepts; null when watchlists are off */
    ImageEmbedProcessor(String bufferStore, BatchSettings batch, String vectorSink, String deadLetterSink, ClipModel model,
                        Deserializer<ImageEvent> events, ImageFetcher fetcher, String topic, WatchlistScorer watchlists) {
        super(bufferStore, batch, vectorSink, deadLetterSink);
        this.model = model;
        this.events = events;
        this.fetcher = fetcher;
        this.topic = topic;
        this.watchlists = watchlists;
    }

    @Override
    void embedded(List<Embedded<ImageEvent>> items) {
        if (watchlists != null) {
            watchlists.score(items, context());
        }
    }

    @Override
    ImageEvent parse(String key, byte[] value) {
        ImageEvent event = events.deserialize(topic, value);
        if (event == null) {
            throw new InvalidEventException("INVALID_RECORD", key + ": the value deserialised to nothing");
        }
        if (event.getBytes() == null && (event.getUrl() == null || event.getUrl().isBlank())) {
            throw new InvalidEventException("NO_IMAGE", key + ": the image event has neither bytes nor url; set exactly one");
        }
        return event;
    }

    @Override
    PreparedImage prepare(String key, ImageEvent event) {
        byte[] image;
        if (event.getBytes() != null) {
            ByteBuffer buffer = event.getBytes().duplicate();
            image = new byte[buffer.remaining()];
            buffer.get(image);
        } else {
            image = fetcher.fetch(event.getUrl(), key);
        }
        return model.image().prepare(image, key);
    }

    @Override
    float[][] embed(List<PreparedImage> inputs) {
        return model.image().embedPrepared(inputs);
    }

    @Override
    Object vectorRecord(String key, ImageEvent event, PreparedImage input, float[] vector) {
        return VectorRecords.builder(key, Modality.IMAGE, model.id(), vector, event.getTenant(), event.getCategory(),
                        event.getMetadata())
                .setImageUrl(event.getUrl())
                .build();
    }
}
