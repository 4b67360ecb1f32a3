package io.clipstream.topology;

import io.clipstream.store.VectorValue;
import io.clipstream.common.VectorRecords;
import io.clipstream.schema.AlertSource;
import io.clipstream.schema.ConceptVector;
import io.clipstream.schema.VectorRecord;
import io.clipstream.serde.RegistryFailures;
import io.clipstream.index.VectorMath;
import io.clipstream.watchlist.ConceptMatrix;
import io.clipstream.watchlist.WatchedConcept;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one concept over the images already indexed in this task's partition of the image store: a backfill request
 * (a concept vector, one per partition of the image vectors, on a topic co-partitioned with them) makes this
 * processor scan the partition and forward an alert, marked BACKFILL, for every image that matches. The alerts are
 * committed in the same transaction as the request's offset, so each request yields its alerts exactly once.
 * Forwards {@link io.clipstream.schema.ModerationAlert}s, and dead letters as byte[] with the reason in headers.
 */
final class BackfillProcessor implements Processor<String, byte[], String, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(BackfillProcessor.class);
    /** Images scored per matrix call; bounds the buffer the scan fills. */
    static final int SCAN_BLOCK = 256;

    private final String storeName;
    private final Deserializer<ConceptVector> requests;
    private final ServedModel served;
    private final String topic;
    private ProcessorContext<String, Object> context;
    private TimestampedKeyValueStore<String, VectorValue> images;

    BackfillProcessor(String storeName, Deserializer<ConceptVector> requests, ServedModel served, String topic) {
        this.storeName = storeName;
        this.requests = requests;
        this.served = served;
        this.topic = topic;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.images = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        ConceptVector request;
        try {
            request = requests.deserialize(topic, record.value());
        } catch (RuntimeException e) {
            RegistryFailures.rethrowIfTransient(e);
            deadLetter(record, "INVALID_RECORD", record.key() + ": not a backfill request (ConceptVector): "
                    + BatchingEmbedProcessor.describe(e));
            return;
        }
        String problem = problem(request);
        if (problem != null) {
            deadLetter(record, "INVALID_BACKFILL", problem);
            return;
        }
        WatchedConcept concept = new WatchedConcept(request.getId(), request.getLabel(), request.getThreshold(),
                request.getTenant(), VectorRecords.toArray(request.getVector()));
        ConceptMatrix matrix = ConceptMatrix.of(List.of(concept), served.dimension());
        long now = context.currentSystemTimeMs();
        int scanned = 0;
        int[] alerts = {0};
        List<VectorRecord> block = new ArrayList<>(SCAN_BLOCK);
        float[] flat = new float[SCAN_BLOCK * served.dimension()];
        try (KeyValueIterator<String, ValueAndTimestamp<VectorValue>> all = images.all()) {
            while (all.hasNext()) {
                KeyValue<String, ValueAndTimestamp<VectorValue>> entry = all.next();
                VectorRecord image = entry.value == null ? null : entry.value.value().record();
                if (image == null || !concept.appliesTo(image.getTenant()) || image.getVector().size() != served.dimension()) {
                    continue;
                }
                copy(image, flat, block.size());
                block.add(image);
                scanned++;
                if (block.size() == SCAN_BLOCK) {
                    alerts[0] += score(matrix, block, flat, record.timestamp(), now);
                    block.clear();
                }
            }
        }
        alerts[0] += score(matrix, block, flat, record.timestamp(), now);
        LOG.info("backfill of concept '{}' on {}: {} images scanned, {} alerts", concept.id(), context.taskId(), scanned, alerts[0]);
    }

    private int score(ConceptMatrix matrix, List<VectorRecord> block, float[] flat, long timestamp, long now) {
        int[] count = {0};
        matrix.matches(flat, block.size(), (row, c, score) -> {
            VectorRecord image = block.get(row);
            context.forward(new Record<String, Object>(image.getId(), ModerationAlerts.of(image.getId(), matrix.concept(c), score,
                    served.modelId(), image.getTenant(), image.getCategory(), image.getMetadata(), AlertSource.BACKFILL, now),
                    timestamp));
            count[0]++;
        });
        return count[0];
    }

    private void copy(VectorRecord image, float[] flat, int row) {
        List<Float> vector = image.getVector();
        int offset = row * served.dimension();
        for (int i = 0; i < served.dimension(); i++) {
            flat[offset + i] = vector.get(i);
        }
    }

    private String problem(ConceptVector request) {
        if (!served.modelId().equals(request.getModelId())) {
            return "backfill of concept '" + request.getId() + "' was embedded by model '" + request.getModelId()
                    + "' but this index serves '" + served.modelId() + "'";
        }
        if (request.getVector().size() != served.dimension()) {
            return "backfill of concept '" + request.getId() + "' has dimension " + request.getVector().size()
                    + " but the index serves " + served.dimension();
        }
        float threshold = request.getThreshold();
        if (!Float.isFinite(threshold) || threshold < -1f || threshold > 1f) {
            return "backfill of concept '" + request.getId() + "' has threshold " + threshold + "; give -1 to 1";
        }
        if (VectorMath.firstNonFinite(VectorRecords.toArray(request.getVector())) >= 0) {
            return "backfill of concept '" + request.getId() + "' has a non-finite vector component";
        }
        return null;
    }

    private void deadLetter(Record<String, byte[]> record, String code, String reason) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        LOG.warn("dead-lettering backfill request {}-{}@{}: {}", source.topic(), source.partition(), source.offset(), reason);
        DeadLetter letter = new DeadLetter(record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8),
                record.value(), code, reason, source.topic(), source.partition(), source.offset());
        context.forward(new Record<String, Object>(record.key(), record.value(), record.timestamp(),
                letter.headers(record.headers())));
    }
}
