package io.clipstream.topology;

import io.clipstream.schema.Modality;
import io.clipstream.serde.DecodedVector;
import io.clipstream.index.IndexedVector;

/**
 * The model an index serves. A vector from any other model or of another size is refused, so a
 * model change is a re-index into new topics, never a silent mix of incomparable vectors.
 */
public record ServedModel(String modelId, int dimension) {

    /** Why {@code record} cannot be served from the store of {@code modality}, or null if it can. */
    public String problem(String key, DecodedVector record, Modality modality) {
        IndexedVector vector = record.indexed();
        int length = vector.vector().length;
        if (!modelId.equals(record.modelId())) {
            return "vector '" + key + "' comes from model '" + record.modelId() + "' but this index serves '" + modelId
                    + "'; re-index into new vector topics after a model change";
        }
        if (record.declaredDimension() != dimension || length != dimension) {
            return "vector '" + key + "' has dimension " + length + " (declared " + record.declaredDimension()
                    + ") but model '" + modelId + "' produces " + dimension;
        }
        if (vector.modality() != modality) {
            return "vector '" + key + "' is " + vector.modality() + " but sits on the " + modality + " vector topic";
        }
        if (key != null && !key.equals(vector.id())) {
            return "vector record id '" + vector.id() + "' differs from its key '" + key + "'; the key must be the item id";
        }
        return null;
    }
}
