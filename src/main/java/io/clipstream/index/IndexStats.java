package io.clipstream.index;

/**
 * A partition's index at a glance, for metrics and for waiting on the background work.
 *
 * @param vectors             live vectors
 * @param segments            sealed segments
 * @param withoutGraph        live vectors a search scans because they are in no graph yet (the open run in float32,
 *                            segments whose graph is being built by their codes where they have any)
 * @param openVectors         vectors in the open run
 * @param pendingPersistence  sealed runs not yet written to disk
 * @param newestTimestampMs   the record timestamp of the newest searchable vector (-1 when none yet)
 * @param lastBuildMillis     how long the last graph build of a sealed run took (-1 before the first)
 * @param lastMergeMillis     how long the last merge took (-1 before the first)
 * @param merges              merges finished since the partition opened
 * @param quiet               whether the background work has nothing left to do, were no more writes to come (every
 *                            sealed run on disk with a graph, nothing to merge, the open run below the size an idle
 *                            partition seals)
 */
public record IndexStats(long vectors, int segments, long withoutGraph, int openVectors, int pendingPersistence,
                         long newestTimestampMs, long lastBuildMillis, long lastMergeMillis, long merges, boolean quiet) {
}
