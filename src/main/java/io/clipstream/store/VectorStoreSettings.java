package io.clipstream.store;

import io.clipstream.index.AnnSettings;
import io.clipstream.index.SegmentSettings;

import java.util.Objects;

/**
 * The fixed shape of one {@link VectorStore}: every vector it indexes has {@code dimension} components and comes from
 * {@code modelId}; {@code ann} says how its segments are graphed and searched, {@code segments} how they grow, merge
 * and persist.
 *
 * @param dimension the embedding dimension of the model that feeds the store's topic; vectors of any other length
 *                  are rejected
 * @param modelId   the model the vectors come from; persisted segments of another model are never loaded
 * @param ann       the graph settings; null selects exact scans only (no graph)
 * @param segments  the segment engine's settings
 */
public record VectorStoreSettings(int dimension, String modelId, AnnSettings ann, SegmentSettings segments) {

    public VectorStoreSettings {
        if (dimension < 1) {
            throw new IllegalArgumentException("vector store dimension is " + dimension
                    + ": it must be the model's embedding dimension, at least 1");
        }
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(segments, "segments");
    }

    /** Graph index with {@link AnnSettings#DEFAULTS} and default segments. */
    public VectorStoreSettings(int dimension, String modelId) {
        this(dimension, modelId, AnnSettings.DEFAULTS, SegmentSettings.DEFAULTS);
    }

    public VectorStoreSettings(int dimension, String modelId, AnnSettings ann) {
        this(dimension, modelId, ann, SegmentSettings.DEFAULTS);
    }
}
