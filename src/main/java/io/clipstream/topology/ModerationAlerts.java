package io.clipstream.topology;

import io.clipstream.schema.AlertSource;
import io.clipstream.schema.ModerationAlert;
import io.clipstream.watchlist.WatchedConcept;

import java.util.Map;

/** Builds the alert for one image matching one concept. */
final class ModerationAlerts {

    private ModerationAlerts() {
    }

    static ModerationAlert of(String itemId, WatchedConcept concept, float score, String modelId, String tenant,
                              String category, Map<String, String> metadata, AlertSource source, long now) {
        return ModerationAlert.newBuilder()
                .setItemId(itemId)
                .setConceptId(concept.id())
                .setLabel(concept.label())
                .setScore(score)
                .setThreshold(concept.threshold())
                .setModelId(modelId)
                .setTenant(tenant)
                .setCategory(category)
                .setMetadata(metadata == null ? Map.of() : metadata)
                .setSource(source)
                .setAlertedAtMs(now)
                .build();
    }
}
