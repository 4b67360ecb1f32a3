package io.clipstream.index;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Map;

/**
 * Up to {@code capacity} vectors in slots, in the order they were written: the unit segments are made of. The open
 * segment appends to one run; once sealed, a run's contents never change and it is written to disk once, whichever
 * segments it later belongs to (a merge reuses its inputs' runs as they are). Only the death of a slot is recorded
 * afterwards: {@link #diedAt} holds the sequence number of the write that deleted or replaced it, so a search that
 * started before that write still sees the slot, and one that started after does not.
 *
 * <p>Threads: one writer (the partition's writer, under its lock) appends and kills; searches and builds read.
 * Everything a slot holds is written before the write that publishes it (a volatile view), and a slot's data never
 * changes after, so readers need no lock. Arrays grow by copying; a reader holding an older array still finds every
 * slot its view includes there.
 */
final class VectorRun {

    static final long ALIVE = Long.MAX_VALUE;
    private static final VarHandle DIED = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int INITIAL_SLOTS = 16;

    final long id;
    final int capacity;
    final int dimension;
    private final long[] died;
    private String[] ids;
    private long[] offsets;
    private Map<String, String>[] fields;
    private HitPayload[] payloads;
    /** Per-slot float32 copies, or null when the compression keeps only codes in memory. */
    private float[][] floats;
    /** Compressed copies, or null for float32 graphs. */
    private final RunCodes codes;
    private int count;
    /** Slots killed so far (the writer's count). */
    private int deadCount;
    private long minOffset = Long.MAX_VALUE;
    private long maxOffset = Long.MIN_VALUE;
    private volatile boolean persisted;
    private volatile String fileName;

    VectorRun(long id, int capacity, int dimension, boolean keepFloats, RunCodes.Kind codeKind) {
        this.id = id;
        this.capacity = capacity;
        this.dimension = dimension;
        this.died = new long[capacity];
        Arrays.fill(died, ALIVE);
        int initial = Math.min(capacity, INITIAL_SLOTS);
        this.ids = new String[initial];
        this.offsets = new long[initial];
        this.fields = newMaps(initial);
        this.payloads = new HitPayload[initial];
        this.floats = keepFloats ? new float[initial][] : null;
        this.codes = codeKind == null ? null : codeKind.create(dimension, initial);
    }

    /** A run read back from disk: full, persisted, its slots alive until the manifest's deaths are applied. */
    VectorRun(long id, int capacity, int dimension, String[] ids, long[] offsets, Map<String, String>[] fields,
              HitPayload[] payloads, float[][] floats, RunCodes codes, String fileName) {
        this.id = id;
        this.capacity = capacity;
        this.dimension = dimension;
        this.count = ids.length;
        this.died = new long[capacity];
        Arrays.fill(died, ALIVE);
        this.ids = ids;
        this.offsets = offsets;
        this.fields = fields;
        this.payloads = payloads;
        this.floats = floats;
        this.codes = codes;
        for (long offset : offsets) {
            noteOffset(offset);
        }
        this.fileName = fileName;
        this.persisted = true;
    }

    /** Appends one vector (the writer, under the partition lock). @return its slot */
    int append(String id, float[] vector, Map<String, String> filterable, HitPayload payload, long offset) {
        if (count == capacity) {
            throw new IllegalStateException("run " + this.id + " is full (" + capacity + " slots)");
        }
        int slot = count;
        if (slot == ids.length) {
            grow(Math.min(capacity, ids.length * 2));
        }
        ids[slot] = id;
        offsets[slot] = offset;
        fields[slot] = filterable;
        payloads[slot] = payload;
        if (floats != null) {
            floats[slot] = vector.clone();
        }
        if (codes != null) {
            codes.set(slot, vector);
        }
        noteOffset(offset);
        count = slot + 1;
        return slot;
    }

    /** Appends a copy of another run's slot (a compaction). @return its slot here */
    int copyFrom(VectorRun from, int slot) {
        float[] vector = from.floats(slot) != null ? from.floats(slot) : from.codes().decode(slot);
        return append(from.id(slot), vector, from.fields(slot), from.payload(slot), from.offset(slot));
    }

    private void noteOffset(long offset) {
        minOffset = Math.min(minOffset, offset);
        maxOffset = Math.max(maxOffset, offset);
    }

    private void grow(int slots) {
        ids = Arrays.copyOf(ids, slots);
        offsets = Arrays.copyOf(offsets, slots);
        fields = Arrays.copyOf(fields, slots);
        payloads = Arrays.copyOf(payloads, slots);
        if (floats != null) {
            floats = Arrays.copyOf(floats, slots);
        }
    }

    /** After the last append: frees the room no slot will use. */
    void trim() {
        if (ids.length > count) {
            grow(count);
            if (codes != null) {
                codes.trim(count);
            }
        }
    }

    /** Records that the write with sequence number {@code seq} deleted or replaced the slot. */
    void kill(int slot, long seq) {
        if ((long) DIED.getOpaque(died, slot) == ALIVE) {
            deadCount++;
        }
        DIED.setOpaque(died, slot, seq);
    }

    /** Whether the slot is alive for a search that sees writes up to {@code seq}. */
    boolean aliveAt(int slot, long seq) {
        return (long) DIED.getOpaque(died, slot) > seq;
    }

    /** Whether a later write has deleted or replaced the slot (the writer's view). */
    boolean dead(int slot) {
        return (long) DIED.getOpaque(died, slot) != ALIVE;
    }

    /** Appended slots; readers take the count from their view instead while the run is open. */
    int count() {
        return count;
    }

    boolean isFull() {
        return count == capacity;
    }

    String id(int slot) {
        return ids[slot];
    }

    long offset(int slot) {
        return offsets[slot];
    }

    Map<String, String> fields(int slot) {
        return fields[slot];
    }

    HitPayload payload(int slot) {
        return payloads[slot];
    }

    /** The float32 copy of a slot, or null when only codes are kept. */
    float[] floats(int slot) {
        return floats == null ? null : floats[slot];
    }

    boolean keepsFloats() {
        return floats != null;
    }

    RunCodes codes() {
        return codes;
    }

    long minOffset() {
        return minOffset;
    }

    long maxOffset() {
        return maxOffset;
    }

    boolean persisted() {
        return persisted;
    }

    String fileName() {
        return fileName;
    }

    void markPersisted(String file) {
        this.fileName = file;
        this.persisted = true;
    }

    /** Slots alive now (exact for the writer, approximate for other threads). */
    int liveCount() {
        return count - deadCount;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String>[] newMaps(int size) {
        return (Map<String, String>[]) new Map<?, ?>[size];
    }

    @Override
    public String toString() {
        return "run " + id + " (" + count + "/" + capacity + " slots)";
    }
}
