package io.clipstream.topology;

import io.clipstream.schema.Modality;
import io.clipstream.schema.VectorRecord;

/**
 * The model an index serves. A vector from any other model or of another size is refused, so a
 * model change is a re-index into new topics, never a silent mix of incomparable vectors.
 */
public record ServedModel(String modelId, int dimension) {

    /** Why {@code record} cannot be served from the store of {@code modality}, or null if it can. */
    public String problem(String key, VectorRecord record, Modality modality) {
        if (!modelId.equals(record.getModelId())) {
            return "vector '" + key + "' comes from model '" + record.getModelId() + "' but this index serves '" + modelId
                    + "'; re-index into new vector topics after a model change";
        }
        if (record.getDimension() != dimension || record.getVector().size() != dimension) {
            return "vector '" + key + "' has dimension " + record.getVector().size() + " (declared " + record.getDimension()
                    + ") but model '" + modelId + "' produces " + dimension;
        }
        if (record.getModality() != modality) {
            return "vector '" + key + "' is " + record.getModality() + " but sits on the " + modality + " vector topic";
        }
        if (key != null && !key.equals(record.getId())) {
            return "vector record id '" + record.getId() + "' differs from its key '" + key + "'; the key must be the item id";
        }
        return null;
    }
}
