package io.clipstream.index;

import java.util.ArrayList;
import java.util.List;

/**
 * The k best slots seen so far across a partition's segments, in a bounded binary heap whose root is the worst kept
 * one. "Better" means a higher score, or an equal score and a smaller id, so that equal scores come back in the same
 * order on every call and every replica.
 */
final class HitCollector extends BoundedWorstFirstHeap {

    private final int k;
    private final VectorRun[] runs;
    private final int[] slots;
    private final float[] scores;

    HitCollector(int k) {
        this.k = k;
        this.runs = new VectorRun[k];
        this.slots = new int[k];
        this.scores = new float[k];
    }

    /** The score a new slot must beat (or tie with a smaller id) to be kept, once k are held. */
    float floor() {
        return count < k ? Float.NEGATIVE_INFINITY : scores[0];
    }

    void offer(VectorRun run, int slot, float score) {
        if (count < k) {
            runs[count] = run;
            slots[count] = slot;
            scores[count] = score;
            siftUp(count++);
        } else if (worse(0, run, slot, score)) {
            runs[0] = run;
            slots[0] = slot;
            scores[0] = score;
            siftDown(0);
        }
    }

    int size() {
        return count;
    }

    /** A kept slot, in no particular order. */
    interface SlotVisitor {
        void visit(VectorRun run, int slot, float score);
    }

    void forEach(SlotVisitor visitor) {
        for (int i = 0; i < count; i++) {
            visitor.visit(runs[i], slots[i], scores[i]);
        }
    }

    /** Drains the heap into hits, best first. */
    List<ItemHit> drainBestFirst() {
        ItemHit[] ordered = new ItemHit[count];
        for (int i = count - 1; i >= 0; i--) {
            ordered[i] = new ItemHit(runs[0].id(slots[0]), scores[0], runs[0].payload(slots[0]));
            count--;
            runs[0] = runs[count];
            slots[0] = slots[count];
            scores[0] = scores[count];
            runs[count] = null;
            siftDown(0);
        }
        return new ArrayList<>(List.of(ordered));
    }

    /** Whether the entry at {@code i} ranks below the given slot. */
    private boolean worse(int i, VectorRun run, int slot, float score) {
        int byScore = Float.compare(scores[i], score);
        if (byScore != 0) {
            return byScore < 0;
        }
        return runs[i].id(slots[i]).compareTo(run.id(slot)) > 0;
    }

    @Override
    protected boolean worse(int a, int b) {
        return worse(a, runs[b], slots[b], scores[b]);
    }

    @Override
    protected void swap(int a, int b) {
        VectorRun run = runs[a];
        runs[a] = runs[b];
        runs[b] = run;
        int slot = slots[a];
        slots[a] = slots[b];
        slots[b] = slot;
        float score = scores[a];
        scores[a] = scores[b];
        scores[b] = score;
    }
}
