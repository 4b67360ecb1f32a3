package io.clipstream.index;

import io.github.jbellis.jvector.graph.ImmutableGraphIndex;
import io.github.jbellis.jvector.graph.NodesIterator;
import io.github.jbellis.jvector.graph.OnHeapGraphIndex;

import java.util.Arrays;

/**
 * A finished segment graph laid out for searching: every node's base-layer neighbours in one flat {@code int[]} at
 * {@code node * degree}, the few upper-layer nodes in small sorted tables. JVector builds and merges graphs in its
 * concurrent on-heap structure (a neighbour list object per node and level, with a score per edge); once a segment's
 * graph is finished it never changes, so it is copied into this layout and the builder's structure is let go: a third
 * of the memory (4 bytes an edge instead of about 12 with headers), and a walk reads one contiguous row per node
 * instead of following references.
 */
final class FlatGraph {

    /** Marks the end of a row shorter than the degree. */
    static final int NONE = -1;

    private final int degree;
    private final int[] base;
    private final int entry;
    private final int topLevel;
    private final int nodes;
    /** Per level above the base: the nodes present, ascending, and their rows of {@code upperDegree[level]} entries. */
    private final int[][] upperNodes;
    private final int[][] upperRows;
    private final int[] upperDegree;

    private FlatGraph(int degree, int[] base, int entry, int topLevel, int nodes, int[][] upperNodes, int[][] upperRows,
                      int[] upperDegree) {
        this.degree = degree;
        this.base = base;
        this.entry = entry;
        this.topLevel = topLevel;
        this.nodes = nodes;
        this.upperNodes = upperNodes;
        this.upperRows = upperRows;
        this.upperDegree = upperDegree;
    }

    /** Copies a finished JVector graph whose node ids are below {@code ordinalLimit}. */
    static FlatGraph of(OnHeapGraphIndex graph, int ordinalLimit) {
        int degree = graph.getDegree(0);
        int[] base = new int[Math.multiplyExact(ordinalLimit, degree)];
        Arrays.fill(base, NONE);
        int top = graph.getMaxLevel();
        ImmutableGraphIndex.NodeAtLevel entryNode = graph.entryNode();
        int[][] upperNodes = new int[top + 1][];
        int[][] upperRows = new int[top + 1][];
        int[] upperDegree = new int[top + 1];
        int nodes = 0;
        for (int node : graph.nodeStream(0).toArray()) {
            copyRow(graph.getNeighborsIterator(0, node), base, node * degree, degree);
            nodes++;
        }
        for (int level = 1; level <= top; level++) {
            int[] present = graph.nodeStream(level).sorted().toArray();
            int width = graph.getDegree(level);
            int[] rows = new int[present.length * width];
            Arrays.fill(rows, NONE);
            for (int i = 0; i < present.length; i++) {
                copyRow(graph.getNeighborsIterator(level, present[i]), rows, i * width, width);
            }
            upperNodes[level] = present;
            upperRows[level] = rows;
            upperDegree[level] = width;
        }
        return new FlatGraph(degree, base, entryNode == null ? NONE : entryNode.node,
                entryNode == null ? 0 : entryNode.level, nodes, upperNodes, upperRows, upperDegree);
    }

    private static void copyRow(NodesIterator neighbours, int[] into, int at, int width) {
        for (int i = 0; i < width && neighbours.hasNext(); i++) {
            into[at + i] = neighbours.nextInt();
        }
    }

    int degree() {
        return degree;
    }

    /** The base-layer rows: node {@code n}'s neighbours at {@code n * degree()}, ended early by {@link #NONE}. */
    int[] base() {
        return base;
    }

    /** The node searches start from, or {@link #NONE} for an empty graph. */
    int entry() {
        return entry;
    }

    int topLevel() {
        return topLevel;
    }

    /** Nodes in the base layer. */
    int nodes() {
        return nodes;
    }

    /**
     * The row of {@code node} at an upper level into {@code into} (ended by {@link #NONE} when shorter).
     *
     * @return how many neighbours it has there (0 if the node is not on that level)
     */
    int upperNeighbours(int level, int node, int[] into) {
        int index = Arrays.binarySearch(upperNodes[level], node);
        if (index < 0) {
            return 0;
        }
        int width = upperDegree[level];
        int[] rows = upperRows[level];
        int count = 0;
        for (int i = 0; i < width; i++) {
            int neighbour = rows[index * width + i];
            if (neighbour == NONE) {
                break;
            }
            into[count++] = neighbour;
        }
        return count;
    }

    /** The widest row of any level (scratch space for {@link #upperNeighbours}). */
    int maxUpperDegree() {
        int widest = 0;
        for (int width : upperDegree) {
            widest = Math.max(widest, width);
        }
        return widest;
    }

    /** Bytes the layout holds (for memory figures). */
    long bytes() {
        long total = (long) base.length * Integer.BYTES;
        for (int level = 1; level <= topLevel; level++) {
            total += (long) (upperNodes[level].length + upperRows[level].length) * Integer.BYTES;
        }
        return total;
    }
}
