package io.clipstream.index;

import java.util.List;

/**
 * What a search sees of a partition: the sealed segments, the open run and how many of its slots are written, and
 * the sequence number of the last write (a slot killed by a later write is still alive for this view). The writer
 * publishes a new view after each change; a search reads one and needs nothing else.
 */
record SegmentView(List<Segment> segments, VectorRun open, int openCount, long seq, int slotBits) {
}
