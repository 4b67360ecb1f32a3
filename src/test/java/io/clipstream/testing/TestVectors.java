package io.clipstream.testing;

import io.clipstream.index.FieldFilter;
import io.clipstream.index.IndexHit;
import io.clipstream.index.IndexedVector;
import io.clipstream.index.VectorMath;
import io.clipstream.schema.Modality;
import io.clipstream.schema.VectorRecord;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Random unit vectors, vector records and the brute-force answers the tests compare the index with. */
public final class TestVectors {

    public static final String[] TENANTS = {"acme", "globex", "initech"};
    public static final String[] CATEGORIES = {"cats", "dogs"};

    private TestVectors() {
    }

    public static float[] randomUnitVector(Random random, int dimension) {
        float[] vector = new float[dimension];
        double norm = 0;
        for (int i = 0; i < dimension; i++) {
            vector[i] = (float) random.nextGaussian();
            norm += (double) vector[i] * vector[i];
        }
        float scale = (float) (1.0 / Math.sqrt(norm));
        for (int i = 0; i < dimension; i++) {
            vector[i] *= scale;
        }
        return vector;
    }

    public static VectorRecord record(String id, float[] vector, String tenant, String category) {
        List<Float> components = new ArrayList<>(vector.length);
        for (float v : vector) {
            components.add(v);
        }
        return VectorRecord.newBuilder()
                .setId(id)
                .setModality(Modality.IMAGE)
                .setModelId("test-model")
                .setDimension(vector.length)
                .setVector(components)
                .setTenant(tenant)
                .setCategory(category)
                .setMetadata(Map.of("source", "test-" + id))
                .setText(null)
                .build();
    }

    public static VectorRecord randomRecord(Random random, String id, int dimension) {
        return record(id, randomUnitVector(random, dimension), TENANTS[random.nextInt(TENANTS.length)],
                CATEGORIES[random.nextInt(CATEGORIES.length)]);
    }

    /** One item the brute force knows: its vector and filterable fields. */
    public record Item(String id, float[] vector, Map<String, String> fields) {
        public static Item of(VectorRecord record) {
            IndexedVector indexed = IndexedVector.from(record);
            return new Item(indexed.id(), indexed.vector(), indexed.filterableFields());
        }
    }

    /** The expected top k: every item scored, filtered, sorted by score then id, cut at k. */
    public static List<IndexHit> bruteForce(Iterable<Item> items, float[] query, int k, FieldFilter filter, float minScore) {
        List<IndexHit> all = new ArrayList<>();
        for (Item item : items) {
            if (!filter.matches(item.fields())) {
                continue;
            }
            float score = VectorMath.dot(query, item.vector());
            if (score >= minScore) {
                all.add(new IndexHit(item.id(), score));
            }
        }
        all.sort(Comparator.comparing(IndexHit::score, Comparator.reverseOrder()).thenComparing(IndexHit::id));
        return all.subList(0, Math.min(k, all.size()));
    }

    /** The same dot product in double precision, as an independent check of the index's float scores. */
    public static double exactDot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }
}
