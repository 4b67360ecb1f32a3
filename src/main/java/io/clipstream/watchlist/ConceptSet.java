package io.clipstream.watchlist;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The active concepts of one embedder instance, shared by its stream threads: kept current by the global store's
 * update processor (which sees every concept of every partition) and read by the image processors as a
 * {@link ConceptMatrix} that is rebuilt only after a change. Bounded: at most {@code maxConcepts} go into the matrix
 * (those with the smallest ids, so every instance picks the same); the rest are counted and logged.
 */
public final class ConceptSet {

    private static final Logger LOG = LoggerFactory.getLogger(ConceptSet.class);

    private record Snapshot(long version, ConceptMatrix matrix) {
    }

    private final int dimension;
    private final int maxConcepts;
    private final Map<String, WatchedConcept> concepts = new ConcurrentHashMap<>();
    private final AtomicLong version = new AtomicLong(1);
    private volatile Snapshot snapshot;
    private volatile int leftOut;

    public ConceptSet(int dimension, int maxConcepts) {
        this.dimension = dimension;
        this.maxConcepts = maxConcepts;
        this.snapshot = new Snapshot(0, ConceptMatrix.empty(dimension));
    }

    public void put(WatchedConcept concept) {
        if (concept.vector().length != dimension) {
            throw new IllegalArgumentException("concept '" + concept.id() + "' has dimension " + concept.vector().length
                    + " but this embedder's model produces " + dimension);
        }
        concepts.put(concept.id(), concept);
        version.incrementAndGet();
    }

    public void remove(String id) {
        if (concepts.remove(id) != null) {
            version.incrementAndGet();
        }
    }

    public boolean contains(String id) {
        return concepts.containsKey(id);
    }

    /** Concepts known, including any left out of the matrix for being over the bound. */
    public int size() {
        return concepts.size();
    }

    public int maxConcepts() {
        return maxConcepts;
    }

    public int dimension() {
        return dimension;
    }

    /** Concepts the last rebuilt matrix left out because there were more than {@code maxConcepts}. */
    public int leftOut() {
        return leftOut;
    }

    /** The current concepts as a matrix; rebuilt here, once, after any change since the last call. */
    public ConceptMatrix matrix() {
        Snapshot current = snapshot;
        long wanted = version.get();
        if (current.version() == wanted) {
            return current.matrix();
        }
        synchronized (this) {
            current = snapshot;
            wanted = version.get();
            if (current.version() == wanted) {
                return current.matrix();
            }
            List<WatchedConcept> all = new ArrayList<>(concepts.values());
            all.sort(Comparator.comparing(WatchedConcept::id));
            int over = Math.max(0, all.size() - maxConcepts);
            if (over > 0) {
                LOG.warn("{} watchlist concepts are active but watchlists.max.concepts is {}; the {} with the largest ids "
                        + "are not scored: deactivate or delete concepts, or raise the bound", all.size(), maxConcepts, over);
                all = all.subList(0, maxConcepts);
            }
            leftOut = over;
            ConceptMatrix matrix = ConceptMatrix.of(all, dimension);
            snapshot = new Snapshot(wanted, matrix);
            return matrix;
        }
    }
}
