package io.clipstream.index;

import java.util.List;

/**
 * The k best (slot, score) pairs seen so far, in a bounded binary heap whose root is the worst kept pair. Its only
 * allocations are two arrays of k entries, whatever the number of vectors scanned. "Better" means a higher score, or
 * an equal score and a smaller id.
 */
final class TopK extends BoundedWorstFirstHeap {

    private final int k;
    private final int[] slots;
    private final float[] scores;
    private final String[] idBySlot;

    /** @param idBySlot the index's id array, read for tie-breaks only */
    TopK(int k, String[] idBySlot) {
        this.k = k;
        this.slots = new int[k];
        this.scores = new float[k];
        this.idBySlot = idBySlot;
    }

    void offer(int slot, float score) {
        if (count < k) {
            slots[count] = slot;
            scores[count] = score;
            siftUp(count++);
        } else if (worse(slots[0], scores[0], slot, score)) {
            slots[0] = slot;
            scores[0] = score;
            siftDown(0);
        }
    }

    /** Drains the heap into hits, best first. */
    List<IndexHit> drainBestFirst() {
        IndexHit[] ordered = new IndexHit[count];
        for (int i = count - 1; i >= 0; i--) {
            ordered[i] = new IndexHit(idBySlot[slots[0]], scores[0]);
            count--;
            slots[0] = slots[count];
            scores[0] = scores[count];
            siftDown(0);
        }
        return List.of(ordered);
    }

    /** Whether pair a ranks below pair b. */
    private boolean worse(int slotA, float scoreA, int slotB, float scoreB) {
        int byScore = Float.compare(scoreA, scoreB);
        if (byScore != 0) {
            return byScore < 0;
        }
        return idBySlot[slotA].compareTo(idBySlot[slotB]) > 0;
    }

    @Override
    protected boolean worse(int a, int b) {
        return worse(slots[a], scores[a], slots[b], scores[b]);
    }

    @Override
    protected void swap(int a, int b) {
        int slot = slots[a];
        slots[a] = slots[b];
        slots[b] = slot;
        float score = scores[a];
        scores[a] = scores[b];
        scores[b] = score;
    }
}
