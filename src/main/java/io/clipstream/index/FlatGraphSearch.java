package io.clipstream.index;

/**
 * The walk of a {@link FlatGraph}: HNSW's greedy descent through the upper levels, then a best-first beam search of
 * width {@code ef} on the base layer. Every node reached is scored and may steer the walk; only accepted ones (live,
 * matching the filter) enter the results, so a filter keeping 1% of the nodes still finds k of them. The scratch
 * space (visited marks, both heaps) is per thread and reused: a query allocates only its answer.
 */
final class FlatGraphSearch {

    /** One query's scores of a segment's nodes, as the walk ranks them. */
    @FunctionalInterface
    interface NodeScores {
        float score(int node);
    }

    /** Which nodes may be returned. */
    @FunctionalInterface
    interface NodeFilter {
        boolean accepts(int node);
    }

    /** The best nodes found, best first, and how many nodes the walk scored. */
    record Found(int[] nodes, float[] scores, int visited) {
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private FlatGraphSearch() {
    }

    /**
     * @param ordinalLimit one past the highest node id
     * @param topK         how many of the best accepted nodes to return
     * @param ef           the beam: how many of the best accepted nodes the walk keeps while it searches
     */
    static Found search(FlatGraph graph, int ordinalLimit, NodeScores scores, NodeFilter accept, int topK, int ef) {
        if (graph.entry() == FlatGraph.NONE) {
            return new Found(new int[0], new float[0], 0);
        }
        Scratch s = SCRATCH.get();
        s.begin(ordinalLimit, ef, graph.maxUpperDegree());
        int current = graph.entry();
        float currentScore = scores.score(current);
        int visited = 1;
        for (int level = graph.topLevel(); level >= 1; level--) {
            boolean moved = true;
            while (moved) {
                moved = false;
                int count = graph.upperNeighbours(level, current, s.row);
                for (int i = 0; i < count; i++) {
                    int node = s.row[i];
                    float score = scores.score(node);
                    visited++;
                    if (score > currentScore) {
                        current = node;
                        currentScore = score;
                        moved = true;
                    }
                }
            }
        }
        int degree = graph.degree();
        int[] base = graph.base();
        s.visit(current);
        s.pushCandidate(current, currentScore);
        if (accept.accepts(current)) {
            s.offerResult(current, currentScore);
        }
        while (s.candidates > 0) {
            float best = s.candidateScore[0];
            if (s.results == ef && best < s.resultScore[0]) {
                break;
            }
            int node = s.popCandidate();
            int row = node * degree;
            for (int i = 0; i < degree; i++) {
                int neighbour = base[row + i];
                if (neighbour == FlatGraph.NONE) {
                    break;
                }
                if (!s.visit(neighbour)) {
                    continue;
                }
                float score = scores.score(neighbour);
                visited++;
                if (s.results < ef || score > s.resultScore[0]) {
                    s.pushCandidate(neighbour, score);
                    if (accept.accepts(neighbour)) {
                        s.offerResult(neighbour, score);
                    }
                }
            }
        }
        return s.best(topK, visited);
    }

    /** One thread's search state: visit marks by generation, a max-heap of candidates, a min-heap of results. */
    private static final class Scratch {
        int[] marks = new int[0];
        int generation;
        float[] candidateScore = new float[64];
        int[] candidateNode = new int[64];
        int candidates;
        float[] resultScore = new float[64];
        int[] resultNode = new int[64];
        int results;
        int capacity;
        int[] row = new int[64];

        void begin(int ordinalLimit, int ef, int upperDegree) {
            if (marks.length < ordinalLimit) {
                marks = new int[ordinalLimit];
                generation = 0;
            }
            if (++generation == Integer.MAX_VALUE) {
                java.util.Arrays.fill(marks, 0);
                generation = 1;
            }
            if (resultScore.length < ef) {
                resultScore = new float[ef];
                resultNode = new int[ef];
            }
            if (row.length < upperDegree) {
                row = new int[upperDegree];
            }
            capacity = ef;
            candidates = 0;
            results = 0;
        }

        /** Marks the node visited; false if it already was. */
        boolean visit(int node) {
            if (marks[node] == generation) {
                return false;
            }
            marks[node] = generation;
            return true;
        }

        void pushCandidate(int node, float score) {
            if (candidates == candidateScore.length) {
                candidateScore = java.util.Arrays.copyOf(candidateScore, candidates * 2);
                candidateNode = java.util.Arrays.copyOf(candidateNode, candidates * 2);
            }
            int i = candidates++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (candidateScore[parent] >= score) {
                    break;
                }
                candidateScore[i] = candidateScore[parent];
                candidateNode[i] = candidateNode[parent];
                i = parent;
            }
            candidateScore[i] = score;
            candidateNode[i] = node;
        }

        int popCandidate() {
            int top = candidateNode[0];
            int last = --candidates;
            float score = candidateScore[last];
            int node = candidateNode[last];
            int i = 0;
            while (true) {
                int child = 2 * i + 1;
                if (child >= last) {
                    break;
                }
                if (child + 1 < last && candidateScore[child + 1] > candidateScore[child]) {
                    child++;
                }
                if (candidateScore[child] <= score) {
                    break;
                }
                candidateScore[i] = candidateScore[child];
                candidateNode[i] = candidateNode[child];
                i = child;
            }
            candidateScore[i] = score;
            candidateNode[i] = node;
            return top;
        }

        /** Keeps the node among the best {@code capacity} results (a min-heap: the root is the worst kept). */
        void offerResult(int node, float score) {
            if (results < capacity) {
                int i = results++;
                while (i > 0) {
                    int parent = (i - 1) >>> 1;
                    if (resultScore[parent] <= score) {
                        break;
                    }
                    resultScore[i] = resultScore[parent];
                    resultNode[i] = resultNode[parent];
                    i = parent;
                }
                resultScore[i] = score;
                resultNode[i] = node;
            } else if (score > resultScore[0]) {
                siftDownResult(node, score);
            }
        }

        private void siftDownResult(int node, float score) {
            int i = 0;
            while (true) {
                int child = 2 * i + 1;
                if (child >= results) {
                    break;
                }
                if (child + 1 < results && resultScore[child + 1] < resultScore[child]) {
                    child++;
                }
                if (resultScore[child] >= score) {
                    break;
                }
                resultScore[i] = resultScore[child];
                resultNode[i] = resultNode[child];
                i = child;
            }
            resultScore[i] = score;
            resultNode[i] = node;
        }

        /** The best {@code k} results, best first. */
        Found best(int k, int visited) {
            while (results > k) {
                popResult();
            }
            int count = results;
            int[] nodes = new int[count];
            float[] scores = new float[count];
            for (int i = count - 1; i >= 0; i--) {
                nodes[i] = resultNode[0];
                scores[i] = resultScore[0];
                popResult();
            }
            return new Found(nodes, scores, visited);
        }

        private void popResult() {
            int last = --results;
            if (last > 0) {
                siftDownResult(resultNode[last], resultScore[last]);
            }
        }
    }
}
