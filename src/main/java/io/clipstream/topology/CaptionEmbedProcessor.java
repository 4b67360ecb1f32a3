package io.clipstream.topology;

import io.clipstream.common.VectorRecords;
import io.clipstream.common.InvalidEventException;
import io.clipstream.encoders.ClipModel;
import io.clipstream.encoders.text.TokenizedText;
import io.clipstream.schema.CaptionEvent;
import io.clipstream.schema.Modality;
import org.apache.kafka.common.serialization.Deserializer;

/** Embeds caption events; empty text is dead-lettered, over-long text is truncated and marked so. */
final class CaptionEmbedProcessor extends BatchingEmbedProcessor<CaptionEvent, TokenizedText> {

    private final ClipModel model;
    private final Deserializer<CaptionEvent> events;
    private final String topic;

    private final StageTimes times;

    CaptionEmbedProcessor(String bufferStore, BatchSettings batch, String vectorSink, String deadLetterSink, ClipModel model,
                          Deserializer<CaptionEvent> events, String topic, EmbedderRuntime runtime) {
        super(bufferStore, batch, vectorSink, deadLetterSink, runtime.preparation(), runtime.texts(), runtime.isSerial());
        this.times = runtime.times();
        this.model = model;
        this.events = events;
        this.topic = topic;
    }

    @Override
    CaptionEvent parse(String key, byte[] value) {
        CaptionEvent event = events.deserialize(topic, value);
        if (event == null) {
            throw new InvalidEventException("INVALID_RECORD", key + ": the value deserialised to nothing");
        }
        return event;
    }

    @Override
    TokenizedText prepare(String key, CaptionEvent event) {
        return times.time(EmbedderStage.TOKENIZE, () -> model.text().tokenize(event.getText(), key));
    }

    @Override
    Object vectorRecord(String key, CaptionEvent event, TokenizedText input, float[] vector) {
        return VectorRecords.builder(key, Modality.TEXT, model.id(), vector, event.getTenant(), event.getCategory(),
                        event.getMetadata())
                .setText(event.getText())
                .setImageId(event.getImageId())
                .setTruncated(input.truncated())
                .build();
    }
}
