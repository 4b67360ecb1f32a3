package io.clipstream.topology;

import io.clipstream.common.VectorRecords;
import io.clipstream.common.InvalidEventException;
import io.clipstream.encoders.ClipModel;
import io.clipstream.fetch.ImageFetcher;
import io.clipstream.schema.ImageAnnotation;
import io.clipstream.schema.ImageEvent;
import io.clipstream.schema.Modality;
import io.clipstream.schema.VectorRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Record;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Embeds image events: bytes inline or fetched from their URL. An image that came as bytes also
 * gets a JPEG thumbnail on the thumbnail topic, made from the pixels already decoded for the model;
 * an image by URL and a deleted image leave a tombstone there, so no stale thumbnail outlives them.
 * A URL is fetched on the runtime's fetch threads (many at once, within the fetcher's limits) and
 * its bytes decoded back on the preparation pool.
 */
final class ImageEmbedProcessor extends BatchingEmbedProcessor<ImageEvent, ImageInput> {

    private final ClipModel model;
    private final Deserializer<ImageEvent> events;
    private final ImageFetcher fetcher;
    private final String topic;
    private final String thumbnailSink;
    private final ImageTagging tagging;
    private final WatchlistScorer watchlists;
    private final Executor preparation;
    private final Executor fetching;
    private final StageTimes times;
    private final ImagePreparation images;

    /**
     * @param tagging    zero-shot labels and annotations, or null when tagging is off
     * @param watchlists scores each embedded batch against the watchlist concepts; null when watchlists are off
     */
    ImageEmbedProcessor(String bufferStore, BatchSettings batch, String vectorSink, String deadLetterSink, String thumbnailSink,
                        ClipModel model, Deserializer<ImageEvent> events, ImageFetcher fetcher, String topic, ImageTagging tagging,
                        WatchlistScorer watchlists, EmbedderRuntime runtime) {
        super(bufferStore, batch, vectorSink, deadLetterSink, runtime.preparation(), runtime.images(), runtime.isSerial());
        this.preparation = runtime.preparation();
        this.fetching = runtime.fetching();
        this.times = runtime.times();
        this.images = new ImagePreparation(model, times);
        this.thumbnailSink = thumbnailSink;
        this.tagging = tagging;
        this.watchlists = watchlists;
        this.model = model;
        this.events = events;
        this.fetcher = fetcher;
        this.topic = topic;
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

    /** An image sent as bytes: decoded, preprocessed and thumbnailed right here. */
    @Override
    ImageInput prepare(String key, ImageEvent event) {
        ByteBuffer buffer = event.getBytes().duplicate();
        byte[] image;
        if (buffer.hasArray() && buffer.arrayOffset() == 0 && buffer.position() == 0 && buffer.remaining() == buffer.array().length) {
            // The deserialiser's own copy, read by no one else: no need for another.
            image = buffer.array();
        } else {
            image = new byte[buffer.remaining()];
            buffer.get(image);
        }
        return images.inline(key, image);
    }

    /** An image by URL is fetched first, off the preparation pool, which then decodes it. */
    @Override
    CompletableFuture<ImageInput> prepareAsync(String key, ImageEvent event) {
        if (event.getBytes() != null) {
            return super.prepareAsync(key, event);
        }
        return CompletableFuture.supplyAsync(() -> times.time(EmbedderStage.FETCH, () -> fetcher.fetch(event.getUrl(), key)), fetching)
                .thenApplyAsync(bytes -> images.fetched(key, bytes), preparation);
    }

    @Override
    void scored(float[][] vectors) {
        if (tagging != null) {
            tagging.scoreBatch(vectors);
        }
    }

    @Override
    void afterVector(String key, ImageEvent event, ImageInput input, Object vectorRecord, long timestamp) {
        context().forward(new Record<String, Object>(key, input.thumbnail(), timestamp), thumbnailSink);
        ImageAnnotation annotation = tagging == null ? null : ImageTagging.annotation((VectorRecord) vectorRecord);
        if (annotation != null) {
            context().forward(new Record<String, Object>(key, annotation, timestamp), tagging.annotationSink());
        }
    }

    @Override
    void afterTombstone(Record<String, byte[]> tombstone) {
        context().forward(new Record<String, Object>(tombstone.key(), null, tombstone.timestamp()), thumbnailSink);
    }

    @Override
    Object vectorRecord(String key, ImageEvent event, ImageInput input, float[] vector) {
        return VectorRecords.builder(key, Modality.IMAGE, model.id(), vector, event.getTenant(), event.getCategory(),
                        event.getMetadata())
                .setImageUrl(event.getUrl())
                .setLabels(tagging == null ? List.of() : tagging.labelsOf(vector))
                .build();
    }
}
