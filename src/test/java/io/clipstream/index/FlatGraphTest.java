package io.clipstream.index;

import io.clipstream.testing.TestVectors;
import io.github.jbellis.jvector.graph.GraphIndexBuilder;
import io.github.jbellis.jvector.graph.ListRandomAccessVectorValues;
import io.github.jbellis.jvector.graph.NodesIterator;
import io.github.jbellis.jvector.graph.OnHeapGraphIndex;
import io.github.jbellis.jvector.graph.similarity.BuildScoreProvider;
import io.github.jbellis.jvector.vector.VectorSimilarityFunction;
import io.github.jbellis.jvector.vector.VectorizationProvider;
import io.github.jbellis.jvector.vector.types.VectorFloat;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The flat layout holds exactly JVector's edges, and its walk finds the neighbours a brute force does. */
class FlatGraphTest {

    private static final int DIMENSION = 32;
    private static final int NODES = 3_000;

    @Test
    void theFlatCopyHoldsEveryEdgeOfEveryLevelAndItsWalkFindsTheNearest() throws Exception {
        Random random = new Random(1);
        List<float[]> vectors = new ArrayList<>();
        List<VectorFloat<?>> wrapped = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            float[] v = TestVectors.randomUnitVector(random, DIMENSION);
            vectors.add(v);
            wrapped.add(VectorizationProvider.getInstance().getVectorTypeSupport().createFloatVector(v));
        }
        var values = new ListRandomAccessVectorValues(wrapped, DIMENSION);
        try (ForkJoinPool pool = new ForkJoinPool(2);
             GraphIndexBuilder builder = GraphIndexBuilder.builder(
                     BuildScoreProvider.randomAccessScoreProvider(values, VectorSimilarityFunction.DOT_PRODUCT), DIMENSION, 16)
                     .withBeamWidth(64).withNeighborOverflow(1.2f).withAlpha(1.2f).withSimdExecutor(pool)
                     .withParallelExecutor(pool).build()) {
            OnHeapGraphIndex graph = (OnHeapGraphIndex) builder.build(values);
            FlatGraph flat = FlatGraph.of(graph, NODES);
            assertEquals(graph.size(0), flat.nodes());
            for (int node = 0; node < NODES; node++) {
                assertEquals(neighbours(graph.getNeighborsIterator(0, node)), row(flat, node), "node " + node);
            }
            int[] buffer = new int[flat.maxUpperDegree()];
            for (int level = 1; level <= graph.getMaxLevel(); level++) {
                for (int node : graph.nodeStream(level).toArray()) {
                    int count = flat.upperNeighbours(level, node, buffer);
                    Set<Integer> upper = new HashSet<>();
                    for (int i = 0; i < count; i++) {
                        upper.add(buffer[i]);
                    }
                    assertEquals(neighbours(graph.getNeighborsIterator(level, node)), upper, "level " + level + " node " + node);
                }
            }
            assertEquals(graph.entryNode().node, flat.entry());

            double recall = 0;
            for (int q = 0; q < 50; q++) {
                float[] query = TestVectors.randomUnitVector(random, DIMENSION);
                FlatGraphSearch.Found found = FlatGraphSearch.search(flat, NODES,
                        node -> VectorMath.dot(query, vectors.get(node)), node -> true, 10, 100);
                assertEquals(10, found.nodes().length);
                for (int i = 1; i < found.scores().length; i++) {
                    assertTrue(found.scores()[i - 1] >= found.scores()[i], "best first");
                }
                Set<Integer> truth = bruteForce(vectors, query, 10);
                for (int node : found.nodes()) {
                    recall += truth.contains(node) ? 0.1 / 50 : 0;
                }
            }
            assertTrue(recall >= 0.95, "recall@10 of the flat walk " + recall);
            // A filter keeps nodes out of the answer, not out of the walk.
            float[] query = TestVectors.randomUnitVector(random, DIMENSION);
            FlatGraphSearch.Found even = FlatGraphSearch.search(flat, NODES, node -> VectorMath.dot(query, vectors.get(node)),
                    node -> node % 2 == 0, 10, 100);
            assertEquals(10, even.nodes().length);
            for (int node : even.nodes()) {
                assertEquals(0, node % 2);
            }
        }
    }

    private static Set<Integer> neighbours(NodesIterator iterator) {
        Set<Integer> set = new HashSet<>();
        while (iterator.hasNext()) {
            set.add(iterator.nextInt());
        }
        return set;
    }

    private static Set<Integer> row(FlatGraph flat, int node) {
        Set<Integer> set = new HashSet<>();
        for (int i = 0; i < flat.degree(); i++) {
            int neighbour = flat.base()[node * flat.degree() + i];
            if (neighbour == FlatGraph.NONE) {
                break;
            }
            set.add(neighbour);
        }
        return set;
    }

    private static Set<Integer> bruteForce(List<float[]> vectors, float[] query, int k) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < vectors.size(); i++) {
            order.add(i);
        }
        order.sort((a, b) -> Float.compare(VectorMath.dot(query, vectors.get(b)), VectorMath.dot(query, vectors.get(a))));
        return new HashSet<>(order.subList(0, k));
    }
}
