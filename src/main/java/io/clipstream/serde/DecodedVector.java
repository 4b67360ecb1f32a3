package io.clipstream.serde;

import io.clipstream.schema.VectorRecord;
import io.clipstream.index.IndexedVector;

/**
 * A vector record decoded for the index: what the index keeps, plus the two fields it checks and then forgets.
 *
 * @param modelId           the model that produced the vector
 * @param declaredDimension the record's {@code dimension} field, which may disagree with the vector's length
 * @param indexed           the index's view of the record
 */
public record DecodedVector(String modelId, int declaredDimension, IndexedVector indexed) {

    public static DecodedVector of(VectorRecord record) {
        return new DecodedVector(record.getModelId(), record.getDimension(), IndexedVector.from(record));
    }
}
