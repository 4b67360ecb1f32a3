package io.clipstream.tools.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThroughputMeterTest {

    @Test
    void countsOnlyTheMeasuredCallsAndNumbersBatchesOnward() {
        List<Integer> seen = new ArrayList<>();
        Throughput t = new ThroughputMeter(Duration.ofNanos(1)).measure(4, seen::add);
        // A 1 ns budget still gives one warm-up call and one measured call.
        assertTrue(seen.size() >= 2, "calls " + seen);
        for (int i = 0; i < seen.size(); i++) {
            assertEquals(i, seen.get(i), "batches are numbered 0, 1, 2, ... across warm-up and measurement");
        }
        assertTrue(t.calls() >= 1 && t.calls() < seen.size(), "warm-up calls are not counted: " + t);
        assertEquals(4 * t.calls(), t.items());
    }

    @Test
    void measuresForTheWholeBudgetAndRatesItemsOverThatTime() {
        Duration budget = Duration.ofMillis(30);
        Throughput t = new ThroughputMeter(budget).measure(8, batch -> { });
        assertTrue(t.nanos() >= budget.toNanos(), "the measured phase stops only once its budget is spent: " + t);
        assertEquals(8 * t.calls(), t.items());
        assertEquals(t.items() / (t.nanos() / 1e9), t.itemsPerSecond(), 1e-6 * t.itemsPerSecond());
    }

    @Test
    void refusesAnEmptyBudget() {
        assertThrows(IllegalArgumentException.class, () -> new ThroughputMeter(Duration.ZERO));
    }
}
