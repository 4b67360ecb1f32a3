package io.clipstream.topology;

import io.clipstream.common.VectorRecords;
import io.clipstream.schema.ConceptVector;
import io.clipstream.watchlist.ConceptSet;
import io.clipstream.watchlist.WatchedConcept;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The global store's update processor on the concept-vector topic: every embedder instance sees every concept, keeps
 * it in the store and in its {@link ConceptSet}. A global processor has no dead-letter route and must not fail (that
 * would stop the application), so a record it cannot use is logged and skipped; the concept processor only writes
 * valid ones, so this happens only when something else writes the internal topic.
 */
final class ConceptStoreUpdater implements Processor<String, byte[], Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(ConceptStoreUpdater.class);

    private final String storeName;
    private final Deserializer<ConceptVector> vectors;
    private final ConceptSet concepts;
    private final String modelId;
    private final String topic;
    private KeyValueStore<String, byte[]> store;

    ConceptStoreUpdater(String storeName, Deserializer<ConceptVector> vectors, ConceptSet concepts, String modelId, String topic) {
        this.storeName = storeName;
        this.vectors = vectors;
        this.concepts = concepts;
        this.modelId = modelId;
        this.topic = topic;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
        // Whatever a restore put into the store without passing through process().
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> entry = all.next();
                WatchedConcept concept = decode(entry.key, entry.value);
                if (concept != null) {
                    concepts.put(concept);
                }
            }
        }
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
            concepts.remove(record.key());
            return;
        }
        WatchedConcept concept = decode(record.key(), record.value());
        if (concept == null) {
            return;
        }
        store.put(record.key(), record.value());
        concepts.put(concept);
    }

    private WatchedConcept decode(String key, byte[] value) {
        try {
            ConceptVector vector = vectors.deserialize(topic, value);
            if (!modelId.equals(vector.getModelId())) {
                LOG.warn("concept '{}' was embedded by model '{}' but this embedder runs '{}'; it is not scored. "
                        + "After a model change, use new watchlist vector topics", key, vector.getModelId(), modelId);
                return null;
            }
            if (vector.getVector().size() != concepts.dimension()) {
                LOG.warn("concept '{}' has dimension {} but the model produces {}; it is not scored", key,
                        vector.getVector().size(), concepts.dimension());
                return null;
            }
            return new WatchedConcept(key, vector.getLabel(), vector.getThreshold(), vector.getTenant(),
                    VectorRecords.toArray(vector.getVector()));
        } catch (RuntimeException e) {
            LOG.warn("cannot read concept vector '{}' on {}: {}; it is not scored", key, topic, e.toString());
            return null;
        }
    }
}
