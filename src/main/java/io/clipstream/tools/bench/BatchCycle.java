package io.clipstream.tools.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Batch k of size b holds items (k*b + j) mod n for j &lt; b: every item is used equally often
 * whatever the batch size, and {@code scripts/bench_torch.py} builds the same batches.
 */
final class BatchCycle {

    private BatchCycle() {
    }

    static <T> List<T> batch(List<T> items, int k, int batchSize) {
        List<T> batch = new ArrayList<>(batchSize);
        long first = (long) k * batchSize;
        for (int j = 0; j < batchSize; j++) {
            batch.add(items.get((int) ((first + j) % items.size())));
        }
        return batch;
    }
}
