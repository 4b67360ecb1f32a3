package io.clipstream.index;

import io.github.jbellis.jvector.graph.GraphSearcher;
import io.github.jbellis.jvector.graph.ImmutableGraphIndex;
import io.github.jbellis.jvector.graph.SearchResult;
import io.github.jbellis.jvector.graph.similarity.SearchScoreProvider;
import io.github.jbellis.jvector.util.Bits;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * A finished (cleaned up, never modified again) JVector graph of one segment, with the file it was saved to.
 * Searchers hold scratch space sized to the graph (visited set, queues), so they are pooled rather than built per
 * query: a per-query searcher cost several times the walk itself.
 */
final class SegmentGraph implements AutoCloseable {

    private final ImmutableGraphIndex graph;
    final GraphFile file;
    private final ArrayBlockingQueue<GraphSearcher> searchers =
            new ArrayBlockingQueue<>(Math.max(2, Runtime.getRuntime().availableProcessors() * 2));

    SegmentGraph(ImmutableGraphIndex graph, GraphFile file) {
        this.graph = graph;
        this.file = file;
    }

    ImmutableGraphIndex graph() {
        return graph;
    }

    int nodes() {
        return graph.size(0);
    }

    /**
     * @param candidates how many of the best nodes to return
     * @param beam       the search beam (at least {@code candidates})
     * @param accept     which nodes may be returned (live and matching the filter); the walk still routes through others
     */
    SearchResult walk(SearchScoreProvider scores, int candidates, int beam, Bits accept) {
        GraphSearcher searcher = searchers.poll();
        if (searcher == null) {
            searcher = new GraphSearcher(graph);
        } else {
            searcher.setView(graph.getView());
        }
        try {
            return searcher.search(scores, candidates, beam, Float.NEGATIVE_INFINITY, 0.0f, accept);
        } finally {
            if (!searchers.offer(searcher)) {
                closeQuietly(searcher);
            }
        }
    }

    @Override
    public void close() {
        for (GraphSearcher searcher = searchers.poll(); searcher != null; searcher = searchers.poll()) {
            closeQuietly(searcher);
        }
    }

    private static void closeQuietly(GraphSearcher searcher) {
        try {
            searcher.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing a JVector graph searcher", e);
        }
    }
}
