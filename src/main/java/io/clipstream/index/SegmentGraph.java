package io.clipstream.index;

/**
 * A finished segment graph, in the flat layout walks read ({@link FlatGraph}), with the JVector file it was saved to
 * (which a merge reads back to extend it). Never modified once made.
 */
final class SegmentGraph {

    private final FlatGraph graph;
    final GraphFile file;

    SegmentGraph(FlatGraph graph, GraphFile file) {
        this.graph = graph;
        this.file = file;
    }

    int nodes() {
        return graph.nodes();
    }

    /**
     * @param candidates how many of the best accepted nodes to return
     * @param beam       the search beam (at least {@code candidates})
     * @param accept     which nodes may be returned (live and matching the filter); the walk still routes through others
     */
    FlatGraphSearch.Found walk(int ordinalLimit, FlatGraphSearch.NodeScores scores, FlatGraphSearch.NodeFilter accept,
                               int candidates, int beam) {
        return FlatGraphSearch.search(graph, ordinalLimit, scores, accept, candidates, beam);
    }

    /** Bytes the graph's layout holds. */
    long bytes() {
        return graph.bytes();
    }
}
