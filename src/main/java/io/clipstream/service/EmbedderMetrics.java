package io.clipstream.service;

import io.clipstream.topology.EmbedderStage;
import io.clipstream.topology.StageTimes;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The embedder's stage times on /metrics: {@code clipstream_embedder_stage_seconds_total{stage}}
 * (summed over threads; fetches overlap, so theirs exceeds wall time), {@code ..._items_total} and
 * {@code ..._calls_total} (for the model stages, items over calls is the mean batch size).
 */
final class EmbedderMetrics {

    private EmbedderMetrics() {
    }

    static void bind(StageTimes times, MeterRegistry metrics) {
        for (EmbedderStage stage : EmbedderStage.values()) {
            FunctionCounter.builder("clipstream.embedder.stage.seconds", times, t -> t.total(stage).seconds())
                    .tag("stage", stage.label()).description("time spent in this embedder stage, summed over threads")
                    .baseUnit("seconds").register(metrics);
            FunctionCounter.builder("clipstream.embedder.stage.items", times, t -> t.total(stage).items())
                    .tag("stage", stage.label()).description("items through this embedder stage").register(metrics);
            FunctionCounter.builder("clipstream.embedder.stage.calls", times, t -> t.total(stage).calls())
                    .tag("stage", stage.label()).description("calls of this embedder stage (model calls for the model stages)")
                    .register(metrics);
        }
    }
}
