package io.clipstream.tools.bench;

/**
 * After one load step: how long the index's background work took to catch up with it, and what searches during the
 * step (from the first send until caught up) saw.
 *
 * @param indexSize      vectors indexed at the end of the step
 * @param graphsSeconds  first send until no sealed segment waited for its graph
 * @param caughtUpSeconds first send until every partition's background work was done (written, built, merged)
 * @param duringLoad     latency of the searches answered whole meanwhile, one every {@code searchIntervalMs}; null if
 *                       none were
 * @param failedOrPartial searches meanwhile that failed or came back with a partition missing
 */
public record CatchUpFigure(int indexSize, double graphsSeconds, double caughtUpSeconds, LatencySummary duringLoad,
                            int failedOrPartial, long searchIntervalMs) {
}
