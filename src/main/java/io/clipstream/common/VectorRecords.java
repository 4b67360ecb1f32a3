package io.clipstream.common;

import io.clipstream.schema.Modality;
import io.clipstream.schema.VectorRecord;

import java.util.AbstractList;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;

/** Conversions between the float[] the encoders produce and Avro's List<Float>. */
public final class VectorRecords {

    private VectorRecords() {
    }

    /** The fields every vector record has, whatever its modality, with the embedding time set to now. */
    public static VectorRecord.Builder builder(String id, Modality modality, String modelId, float[] vector, String tenant,
                                               String category, Map<String, String> metadata) {
        return VectorRecord.newBuilder()
                .setId(id)
                .setModality(modality)
                .setModelId(modelId)
                .setDimension(vector.length)
                .setVector(toList(vector))
                .setTenant(tenant)
                .setCategory(category)
                .setMetadata(metadata)
                .setEmbeddedAtMs(System.currentTimeMillis());
    }

    /** A read-only list view, so building a record does not box every component twice. */
    public static List<Float> toList(float[] vector) {
        return new FloatList(vector);
    }

    public static float[] toArray(List<Float> values) {
        if (values instanceof FloatList list) {
            return list.values.clone();
        }
        float[] vector = new float[values.size()];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = values.get(i);
        }
        return vector;
    }

    private static final class FloatList extends AbstractList<Float> implements RandomAccess {
        private final float[] values;

        FloatList(float[] values) {
            this.values = values;
        }

        @Override
        public Float get(int index) {
            return values[index];
        }

        @Override
        public int size() {
            return values.length;
        }
    }
}
