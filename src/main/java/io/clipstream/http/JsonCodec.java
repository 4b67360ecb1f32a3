package io.clipstream.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clipstream.schema.Modality;
import io.clipstream.schema.VectorRecord;
import io.clipstream.search.PartialResult;
import io.clipstream.search.SearchResult;
import io.clipstream.store.KnnQuery;
import io.clipstream.store.KnnResult;
import io.clipstream.store.ScoredHit;
import io.clipstream.common.Tag;
import io.clipstream.common.VectorRecords;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** JSON shapes of the public REST API and of the internal peer protocol, in one place. */
public final class JsonCodec {

    public static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonCodec() {
    }

    public static ObjectNode searchResult(SearchResult result) {
        ObjectNode out = MAPPER.createObjectNode();
        ArrayNode hits = out.putArray("hits");
        result.hits().forEach(hit -> hits.add(hit(hit)));
        out.put("tookMs", result.tookMs());
        ArrayNode missing = out.putArray("missingPartitions");
        result.missingPartitions().forEach(missing::add);
        return out;
    }

    public static ObjectNode hit(ScoredHit hit) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("id", hit.id());
        node.put("modality", hit.modality().name());
        node.put("score", hit.score());
        node.set("metadata", MAPPER.valueToTree(new java.util.TreeMap<>(hit.metadata())));
        if (hit.text() != null) {
            node.put("text", hit.text());
        }
        ArrayNode labels = node.putArray("labels");
        hit.labels().forEach(tag -> labels.addObject().put("label", tag.label()).put("score", tag.score()));
        return node;
    }

    /** An indexed item as REST shows it; the vector only when asked (the peer protocol needs it). */
    public static ObjectNode item(VectorRecord record, boolean withVector) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("id", record.getId());
        node.put("modality", record.getModality().name());
        node.put("modelId", record.getModelId());
        node.put("dimension", record.getDimension());
        putIfPresent(node, "tenant", record.getTenant());
        putIfPresent(node, "category", record.getCategory());
        node.set("metadata", MAPPER.valueToTree(new java.util.TreeMap<>(record.getMetadata())));
        putIfPresent(node, "text", record.getText());
        putIfPresent(node, "imageUrl", record.getImageUrl());
        putIfPresent(node, "imageId", record.getImageId());
        node.put("truncated", record.getTruncated());
        node.put("embeddedAtMs", record.getEmbeddedAtMs());
        ArrayNode labels = node.putArray("labels");
        record.getLabels().forEach(label -> labels.addObject().put("label", label.getLabel()).put("score", label.getScore()));
        if (withVector) {
            ArrayNode vector = node.putArray("vector");
            record.getVector().forEach(vector::add);
        }
        return node;
    }

    public static VectorRecord itemFromJson(JsonNode node) {
        float[] vector = floats(node.get("vector"));
        Map<String, String> metadata = new HashMap<>();
        node.path("metadata").properties().forEach(e -> metadata.put(e.getKey(), e.getValue().asText()));
        return VectorRecord.newBuilder()
                .setId(node.get("id").asText())
                .setModality(Modality.valueOf(node.get("modality").asText()))
                .setModelId(node.get("modelId").asText())
                .setDimension(node.get("dimension").asInt())
                .setVector(VectorRecords.toList(vector))
                .setTenant(textOrNull(node, "tenant"))
                .setCategory(textOrNull(node, "category"))
                .setMetadata(metadata)
                .setText(textOrNull(node, "text"))
                .setImageUrl(textOrNull(node, "imageUrl"))
                .setImageId(textOrNull(node, "imageId"))
                .setTruncated(node.path("truncated").asBoolean(false))
                .setEmbeddedAtMs(node.path("embeddedAtMs").asLong(0))
                .build();
    }

    public static ObjectNode knnRequest(String store, Set<Integer> partitions, KnnQuery query) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("store", store);
        ArrayNode parts = node.putArray("partitions");
        new TreeSet<>(partitions).forEach(parts::add);
        ArrayNode vector = node.putArray("vector");
        for (float v : query.vector()) {
            vector.add(v);
        }
        node.put("k", query.k());
        node.set("filters", MAPPER.valueToTree(query.filters()));
        query.minScore().ifPresent(score -> node.put("minScore", score));
        return node;
    }

    public static KnnQuery knnQuery(JsonNode node) {
        KnnQuery query = KnnQuery.of(floats(node.get("vector")), node.get("k").asInt());
        Map<String, String> filters = new LinkedHashMap<>();
        node.path("filters").properties().forEach(e -> filters.put(e.getKey(), e.getValue().asText()));
        query = query.withFilters(filters);
        if (node.hasNonNull("minScore")) {
            query = query.withMinScore((float) node.get("minScore").asDouble());
        }
        return query;
    }

    public static ObjectNode partialResult(PartialResult result) {
        ObjectNode node = MAPPER.createObjectNode();
        ObjectNode answered = node.putObject("answered");
        result.answered().forEach((partition, knn) -> {
            ObjectNode part = answered.putObject(Integer.toString(partition));
            part.put("scanned", knn.scanned());
            ArrayNode hits = part.putArray("hits");
            knn.hits().forEach(hit -> hits.add(hit(hit)));
        });
        ArrayNode missing = node.putArray("missing");
        result.missing().forEach(missing::add);
        return node;
    }

    public static PartialResult partialResultFromJson(JsonNode node) {
        Map<Integer, KnnResult> answered = new HashMap<>();
        node.path("answered").properties().forEach(entry -> {
            List<ScoredHit> hits = new ArrayList<>();
            entry.getValue().path("hits").forEach(hit -> hits.add(hitFromJson(hit)));
            answered.put(Integer.parseInt(entry.getKey()), new KnnResult(hits, entry.getValue().path("scanned").asLong()));
        });
        List<Integer> missing = new ArrayList<>();
        node.path("missing").forEach(p -> missing.add(p.asInt()));
        return new PartialResult(answered, missing);
    }

    static ScoredHit hitFromJson(JsonNode hit) {
        Map<String, String> metadata = new HashMap<>();
        hit.path("metadata").properties().forEach(e -> metadata.put(e.getKey(), e.getValue().asText()));
        List<Tag> labels = new ArrayList<>();
        hit.path("labels").forEach(tag -> labels.add(new Tag(tag.path("label").asText(), (float) tag.path("score").asDouble())));
        return new ScoredHit(hit.get("id").asText(), Modality.valueOf(hit.get("modality").asText()),
                (float) hit.get("score").asDouble(), metadata, textOrNull(hit, "text"), labels);
    }

    static float[] floats(JsonNode array) {
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException("vector must be an array of numbers");
        }
        float[] values = new float[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) array.get(i).asDouble();
        }
        return values;
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private static String textOrNull(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
