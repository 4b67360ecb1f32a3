package io.clipstream.tools.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Batches must match scripts/bench_torch.py's: batch k of size b holds items (k*b + j) mod n. */
class BatchCycleTest {

    private final List<String> items = List.of("a", "b", "c", "d", "e");

    @Test
    void batchesWalkTheItemsAndWrapAround() {
        assertEquals(List.of("a", "b"), BatchCycle.batch(items, 0, 2));
        assertEquals(List.of("e", "a"), BatchCycle.batch(items, 2, 2));
        assertEquals(List.of("d"), BatchCycle.batch(items, 3, 1));
    }

    @Test
    void aBatchLargerThanTheItemsRepeatsThem() {
        assertEquals(List.of("d", "e", "a", "b", "c", "d", "e", "a"), BatchCycle.batch(items, 1, 8));
    }
}
