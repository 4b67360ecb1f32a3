package io.clipstream.topology;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Where the embedder's time goes: for each {@link EmbedderStage}, how many items went through it, in
 * how many calls, and the summed wall time of those calls. Stages run on many threads at once, so
 * the sums are thread-seconds, not elapsed time. Cheap enough to record on every item (two adders).
 */
public final class StageTimes {

    /** One stage's totals so far. */
    public record Total(long items, long calls, long nanos) {

        public double seconds() {
            return nanos / 1e9;
        }

        Total minus(Total earlier) {
            return new Total(items - earlier.items, calls - earlier.calls, nanos - earlier.nanos);
        }
    }

    private final Map<EmbedderStage, LongAdder[]> totals = new EnumMap<>(EmbedderStage.class);

    public StageTimes() {
        for (EmbedderStage stage : EmbedderStage.values()) {
            totals.put(stage, new LongAdder[]{new LongAdder(), new LongAdder(), new LongAdder()});
        }
    }

    /** Runs {@code work} as one call of {@code stage} for one item. */
    public <T> T time(EmbedderStage stage, Supplier<T> work) {
        return time(stage, 1, work);
    }

    /** Runs {@code work} as one call of {@code stage} over {@code items} items. */
    public <T> T time(EmbedderStage stage, int items, Supplier<T> work) {
        long start = System.nanoTime();
        try {
            return work.get();
        } finally {
            LongAdder[] t = totals.get(stage);
            t[0].add(items);
            t[1].increment();
            t[2].add(System.nanoTime() - start);
        }
    }

    public Total total(EmbedderStage stage) {
        LongAdder[] t = totals.get(stage);
        return new Total(t[0].sum(), t[1].sum(), t[2].sum());
    }

    /** Every stage's totals now; subtract two with {@link #since} to time a phase. */
    public Map<EmbedderStage, Total> snapshot() {
        Map<EmbedderStage, Total> out = new EnumMap<>(EmbedderStage.class);
        for (EmbedderStage stage : EmbedderStage.values()) {
            out.put(stage, total(stage));
        }
        return out;
    }

    /** What each stage did between {@code earlier} and {@code later} snapshots. */
    public static Map<EmbedderStage, Total> since(Map<EmbedderStage, Total> earlier, Map<EmbedderStage, Total> later) {
        Map<EmbedderStage, Total> out = new EnumMap<>(EmbedderStage.class);
        later.forEach((stage, total) -> out.put(stage, total.minus(earlier.get(stage))));
        return out;
    }
}
