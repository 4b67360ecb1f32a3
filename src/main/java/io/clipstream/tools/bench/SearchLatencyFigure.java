package io.clipstream.tools.bench;

/**
 * Sequential REST text searches against an index of {@code indexSize} image vectors.
 *
 * @param client          latency per request as the client measured it (send to body read)
 * @param serverTookMsP50 the median of the {@code tookMs} the server reported (whole milliseconds: embed, scan, merge)
 * @param heapUsedMb      heap in use after a full GC just before the timed queries: the whole process, broker included
 */
public record SearchLatencyFigure(int indexSize, int k, int warmupQueries, LatencySummary client, double serverTookMsP50,
                                  long heapUsedMb) {
}
