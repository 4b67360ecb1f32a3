package io.clipstream.topology;

import io.clipstream.common.VectorRecords;
import io.clipstream.encoders.ClipModel;
import io.clipstream.common.EncodingException;
import io.clipstream.schema.ConceptVector;
import io.clipstream.schema.WatchConcept;
import io.clipstream.serde.RegistryFailures;
import io.clipstream.watchlist.ConceptCheck;
import io.clipstream.watchlist.ConceptSet;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Turns watchlist concepts into concept vectors: validates each, embeds its prompt with the text tower or its example
 * image with the image tower, and publishes the vector (keyed by concept id) for every embedder instance to load. An
 * inactive or deleted concept becomes a tombstone; an invalid one, or one beyond the bound, a dead letter.
 */
final class ConceptEmbedProcessor implements Processor<String, byte[], String, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(ConceptEmbedProcessor.class);

    private final ClipModel model;
    private final Deserializer<WatchConcept> concepts;
    private final ConceptSet loaded;
    private final String topic;
    private final String vectorSink;
    private final String deadLetterSink;
    private ProcessorContext<String, Object> context;

    ConceptEmbedProcessor(ClipModel model, Deserializer<WatchConcept> concepts, ConceptSet loaded, String topic,
                          String vectorSink, String deadLetterSink) {
        this.model = model;
        this.concepts = concepts;
        this.loaded = loaded;
        this.topic = topic;
        this.vectorSink = vectorSink;
        this.deadLetterSink = deadLetterSink;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.key() == null) {
            deadLetter(record, "NO_KEY", "concept record has no key; the key must be the concept id");
            return;
        }
        if (record.value() == null) {
            forwardTombstone(record);
            return;
        }
        WatchConcept concept;
        try {
            concept = concepts.deserialize(topic, record.value());
        } catch (RuntimeException e) {
            RegistryFailures.rethrowIfTransient(e);
            deadLetter(record, "INVALID_RECORD", record.key() + ": not a WatchConcept: " + BatchingEmbedProcessor.describe(e));
            return;
        }
        if (concept == null) {
            deadLetter(record, "INVALID_RECORD", record.key() + ": the value deserialised to nothing");
            return;
        }
        ConceptCheck problem = ConceptCheck.problem(record.key(), concept);
        if (problem != null) {
            deadLetter(record, problem.code(), problem.reason());
            return;
        }
        if (!concept.getActive()) {
            forwardTombstone(record);
            return;
        }
        // The loaded set lags this processor by the global store's round trip, so the bound is approximate here;
        // ConceptSet enforces it exactly on the matrix.
        if (!loaded.contains(record.key()) && loaded.size() >= loaded.maxConcepts()) {
            deadLetter(record, "TOO_MANY_CONCEPTS", record.key() + ": " + loaded.size()
                    + " concepts are active, the most watchlists.max.concepts allows; deactivate some or raise the bound");
            return;
        }
        float[] vector;
        try {
            vector = embed(record.key(), concept);
        } catch (EncodingException e) {
            deadLetter(record, e.reason().name(), record.key() + ": " + e.getMessage());
            return;
        }
        ConceptVector value = ConceptVector.newBuilder()
                .setId(concept.getId())
                .setLabel(concept.getLabel())
                .setThreshold(concept.getThreshold())
                .setTenant(concept.getTenant())
                .setModelId(model.id())
                .setVector(VectorRecords.toList(vector))
                .setEmbeddedAtMs(System.currentTimeMillis())
                .build();
        context.forward(new Record<String, Object>(record.key(), value, record.timestamp()), vectorSink);
    }

    private float[] embed(String key, WatchConcept concept) {
        if (concept.getPrompt() != null) {
            return model.text().embed(List.of(concept.getPrompt())).get(0).vector();
        }
        ByteBuffer buffer = concept.getImage().duplicate();
        byte[] image = new byte[buffer.remaining()];
        buffer.get(image);
        return model.image().embedPrepared(List.of(model.image().prepare(image, key)))[0];
    }

    private void forwardTombstone(Record<String, byte[]> record) {
        context.forward(new Record<String, Object>(record.key(), null, record.timestamp()), vectorSink);
    }

    private void deadLetter(Record<String, byte[]> record, String code, String reason) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        LOG.warn("dead-lettering concept {}-{}@{}: {}", source.topic(), source.partition(), source.offset(), reason);
        DeadLetter letter = new DeadLetter(record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8),
                record.value(), code, reason, source.topic(), source.partition(), source.offset());
        context.forward(new Record<String, Object>(record.key(), record.value(), record.timestamp(),
                letter.headers(record.headers())), deadLetterSink);
    }
}
