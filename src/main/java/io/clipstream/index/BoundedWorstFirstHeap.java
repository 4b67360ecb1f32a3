package io.clipstream.index;

/**
 * The sifting of a bounded binary heap whose root is the worst kept entry, for the top-k collectors that keep their
 * entries in parallel primitive arrays (no entry objects on the search path). Subclasses say how two entries rank and
 * how to swap them; "worse" is their one ranking (lower score, then larger id), so every collector breaks ties alike.
 */
abstract class BoundedWorstFirstHeap {

    /** Entries held, at indexes 0 to count - 1 of the subclass's arrays. */
    protected int count;

    /** Whether the entry at {@code a} ranks below the entry at {@code b}. */
    protected abstract boolean worse(int a, int b);

    protected abstract void swap(int a, int b);

    protected final void siftUp(int i) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!worse(i, parent)) {
                return;
            }
            swap(i, parent);
            i = parent;
        }
    }

    protected final void siftDown(int i) {
        while (true) {
            int left = 2 * i + 1;
            if (left >= count) {
                return;
            }
            int worst = left;
            int right = left + 1;
            if (right < count && worse(right, left)) {
                worst = right;
            }
            if (!worse(worst, i)) {
                return;
            }
            swap(i, worst);
            i = worst;
        }
    }
}
