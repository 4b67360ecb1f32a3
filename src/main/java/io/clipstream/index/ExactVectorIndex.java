package io.clipstream.index;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Exact (brute-force) k-nearest-neighbour search over a dense layout: all vectors live in one float array of
 * {@code dimension * capacity} floats, slot {@code s} at offset {@code s * dimension}, with the ids and filterable
 * fields in parallel arrays and an id-to-slot map. Slots {@code 0..size-1} are always occupied: a removal moves the
 * last vector into the freed slot, so a search is one sequential pass with no holes to skip.
 *
 * <p>Memory: {@code dimension * 4} bytes per slot of capacity, plus per item its id, its fields map and one map
 * entry. The capacity doubles when full and halves when a quarter full (never below the initial capacity), so unused
 * room stays within a factor of four of what the items need.
 *
 * <p>A search allocates only its top-k heap. Not thread-safe: the owning store serialises writes against searches.
 */
public final class ExactVectorIndex {

    private final int dimension;
    private final int initialCapacity;
    private final Map<String, Integer> slotById = new HashMap<>();
    private float[] vectors;
    private String[] ids;
    private Map<String, String>[] fields;
    private int size;

    public ExactVectorIndex(int dimension, int initialCapacity) {
        if (dimension < 1 || initialCapacity < 1) {
            throw new IllegalArgumentException("exact index needs dimension >= 1 and initialCapacity >= 1, got "
                    + dimension + " and " + initialCapacity);
        }
        this.dimension = dimension;
        this.initialCapacity = initialCapacity;
        allocate(initialCapacity);
    }

    public void upsert(String id, float[] vector, Map<String, String> filterableFields) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(filterableFields, "filterableFields");
        if (vector.length != dimension) {
            throw new IllegalArgumentException("vector for id '" + id + "' has " + vector.length
                    + " components; this index holds vectors of dimension " + dimension);
        }
        Integer existing = slotById.get(id);
        int slot;
        if (existing != null) {
            slot = existing;
        } else {
            if (size == capacity()) {
                resize(grownCapacity());
            }
            slot = size++;
            slotById.put(id, slot);
            ids[slot] = id;
        }
        System.arraycopy(vector, 0, vectors, slot * dimension, dimension);
        fields[slot] = filterableFields;
    }

    public boolean remove(String id) {
        Integer removed = slotById.remove(id);
        if (removed == null) {
            return false;
        }
        int slot = removed;
        int last = --size;
        if (slot != last) {
            System.arraycopy(vectors, last * dimension, vectors, slot * dimension, dimension);
            ids[slot] = ids[last];
            fields[slot] = fields[last];
            slotById.put(ids[slot], slot);
        }
        ids[last] = null;
        fields[last] = null;
        if (capacity() > initialCapacity && size < capacity() / 4) {
            resize(Math.max(initialCapacity, capacity() / 2));
        }
        return true;
    }

    public IndexSearchResult search(float[] query, int k, FieldFilter filter, float minScore) {
        if (query.length != dimension) {
            throw new IllegalArgumentException("query vector has " + query.length
                    + " components; this index holds vectors of dimension " + dimension
                    + ": embed the query with the model that produced the index");
        }
        if (k < 1) {
            throw new IllegalArgumentException("k is " + k + ": ask for at least one hit");
        }
        TopK top = new TopK(Math.min(k, Math.max(size, 1)), ids);
        boolean filtering = !filter.isEmpty();
        for (int slot = 0; slot < size; slot++) {
            if (filtering && !filter.matches(fields[slot])) {
                continue;
            }
            float score = VectorMath.dot(query, vectors, slot * dimension, dimension);
            if (score >= minScore) {
                top.offer(slot, score);
            }
        }
        return new IndexSearchResult(top.drainBestFirst(), size);
    }

    public int size() {
        return size;
    }

    public int dimension() {
        return dimension;
    }

    /** The memory one vector's components take. */
    public long bytesPerVector() {
        return (long) dimension * Float.BYTES;
    }

    /** How many vectors fit before the next growth. */
    public int capacity() {
        return ids.length;
    }

    /** The bytes currently allocated for vector components ({@code capacity * dimension * 4}). */
    public long allocatedVectorBytes() {
        return (long) vectors.length * Float.BYTES;
    }

    private int grownCapacity() {
        long maxSlots = (Integer.MAX_VALUE - 8) / dimension;
        if (capacity() >= maxSlots) {
            throw new IllegalStateException("exact index is full: " + size + " vectors of dimension " + dimension
                    + " fill the largest float array Java allows; spread the vector topic over more partitions");
        }
        return (int) Math.min(maxSlots, 2L * capacity());
    }

    private void allocate(int capacity) {
        vectors = new float[capacity * dimension];
        ids = new String[capacity];
        fields = newFieldsArray(capacity);
    }

    private void resize(int capacity) {
        vectors = Arrays.copyOf(vectors, capacity * dimension);
        ids = Arrays.copyOf(ids, capacity);
        fields = Arrays.copyOf(fields, capacity);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String>[] newFieldsArray(int capacity) {
        return (Map<String, String>[]) new Map<?, ?>[capacity];
    }
}
