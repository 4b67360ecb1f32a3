package io.clipstream.topology;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/** Conversions between the float[] the encoders produce and Avro's List<Float>. */
public final class VectorRecords {

    private VectorRecords() {
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
