package io.clipstream.topology;

import io.clipstream.schema.AlertSource;
import io.clipstream.schema.ImageEvent;
import io.clipstream.watchlist.ConceptMatrix;
import io.clipstream.watchlist.ConceptSet;
import io.clipstream.watchlist.WatchedConcept;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import java.util.ArrayList;
import java.util.List;

/**
 * Scores a batch of freshly embedded images against every active watchlist concept in one matrix product and
 * forwards an alert for each match, from the embedding's own processing so that alerts commit with the vectors.
 */
final class WatchlistScorer {

    private final ConceptSet concepts;
    private final String modelId;
    private final String alertSink;

    WatchlistScorer(ConceptSet concepts, String modelId, String alertSink) {
        this.concepts = concepts;
        this.modelId = modelId;
        this.alertSink = alertSink;
    }

    void score(List<BatchingEmbedProcessor.Embedded<ImageEvent>> items, ProcessorContext<String, Object> context) {
        ConceptMatrix matrix = concepts.matrix();
        if (matrix.size() == 0 || items.isEmpty()) {
            return;
        }
        List<float[]> vectors = new ArrayList<>(items.size());
        for (BatchingEmbedProcessor.Embedded<ImageEvent> item : items) {
            vectors.add(item.vector());
        }
        long now = context.currentSystemTimeMs();
        matrix.matches(ConceptMatrix.flatten(vectors, matrix.dimension()), items.size(), (row, c, score) -> {
            BatchingEmbedProcessor.Embedded<ImageEvent> item = items.get(row);
            ImageEvent event = item.event();
            WatchedConcept concept = matrix.concept(c);
            if (concept.appliesTo(event.getTenant())) {
                context.forward(new Record<String, Object>(item.key(), ModerationAlerts.of(item.key(), concept, score, modelId,
                        event.getTenant(), event.getCategory(), event.getMetadata(), AlertSource.STREAM, now),
                        item.timestamp()), alertSink);
            }
        });
    }
}
