package io.clipstream.topology;

import io.clipstream.encoders.ClipModel;
import io.clipstream.encoders.PreparedImage;
import io.clipstream.fetch.ImageFetcher;
import io.clipstream.schema.ImageAnnotation;
import io.clipstream.schema.ImageEvent;
import io.clipstream.schema.Modality;
import io.clipstream.schema.VectorRecord;
import org.apache.kafka.common.serialization.Deserializer;

import java.nio.ByteBuffer;
import java.util.List;

/** Embeds image events: bytes inline or fetched from their URL. */
final class ImageEmbedProcessor extends BatchingEmbedProcessor<ImageEvent, PreparedImage> {

    private final ClipModel model;
    private final Deserializer<ImageEvent> events;
    private final ImageFetcher fetcher;
    private final String topic;
    private final ImageTagging tagging;

    /** @param tagging zero-shot labels and annotations, or null when tagging is off */
    ImageEmbedProcessor(String bufferStore, BatchSettings batch, String vectorSink, String deadLetterSink, ClipModel model,
                        Deserializer<ImageEvent> events, ImageFetcher fetcher, String topic, ImageTagging tagging) {
        super(bufferStore, batch, vectorSink, deadLetterSink);
        this.model = model;
        this.events = events;
        this.fetcher = fetcher;
        this.topic = topic;
        this.tagging = tagging;
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
        float[][] vectors = model.image().embedPrepared(inputs);
        if (tagging != null) {
            tagging.scoreBatch(vectors);
        }
        return vectors;
    }

    @Override
    Object vectorRecord(String key, ImageEvent event, PreparedImage input, float[] vector) {
        return VectorRecords.builder(key, Modality.IMAGE, model.id(), vector, event.getTenant(), event.getCategory(),
                        event.getMetadata())
                .setImageUrl(event.getUrl())
                .setLabels(tagging == null ? List.of() : tagging.labelsOf(vector))
                .build();
    }

    @Override
    List<SideRecord> sideRecords(String key, Object vectorRecord) {
        ImageAnnotation annotation = tagging == null ? null : ImageTagging.annotation((VectorRecord) vectorRecord);
        return annotation == null ? List.of() : List.of(new SideRecord(tagging.annotationSink(), annotation));
    }
}
