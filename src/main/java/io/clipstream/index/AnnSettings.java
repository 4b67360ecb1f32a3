package io.clipstream.index;

import java.util.Locale;

/**
 * How a {@link VectorStore} partition searches: through an ANN graph ({@link GraphVectorIndex}) once it holds at
 * least {@code minSize} vectors, by exact scan below that (a scan of a few thousand vectors is as fast as a graph
 * walk and always exact).
 *
 * @param degree            graph degree (JVector's M): neighbours kept per node; more means better recall, more memory
 *                          ({@code degree * 4} bytes per vector) and slower inserts
 * @param beamWidth         candidates kept while inserting a node (JVector's construction beam width, like HNSW's
 *                          efConstruction)
 * @param overquery         search beam as a multiple of k (like HNSW's ef = k * overquery); the search keeps at least
 *                          {@code searchBeam} candidates whatever k is. With FP16 or INT8, also how many of the walk's
 *                          best candidates ({@code k * overquery}) are re-ranked with float32 vectors from RocksDB
 * @param searchBeam        the smallest search beam, whatever k
 * @param minSize           below this many vectors a partition answers by exact scan
 * @param compression       how the graph search scores candidates; every hit is re-ranked by full precision
 * @param exactFilterBelow  when a filter keeps less than this fraction of the partition, the partition scans the
 *                          matching items exactly instead of walking the graph (a graph walk then visits mostly
 *                          rejected nodes)
 */
public record AnnSettings(int degree, int beamWidth, float overquery, int searchBeam, int minSize,
                          Compression compression, double exactFilterBelow) {

    /**
     * Defaults measured in docs/BENCHMARKS.md ("ANN index (issue 5)") on a 1M-vector partition of the clustered
     * benchmark set: search beam 200 reaches recall@10 0.972 with p99 2.7 ms (150: 0.961). INT8_FLOAT32 searched 1.4 to
     * 1.7x faster than NONE at beams 64 to 200 and built 1.6x faster, for a quarter more memory, and is within 1.5x of
     * hnswlib's queries/s at matched recall, which NONE (1.8 to 1.9x slower) was not.
     */
    public static final AnnSettings DEFAULTS = new AnnSettings(32, 100, 2.0f, 200, 5_000, Compression.INT8_FLOAT32, 0.05);

    /** The in-memory representation the graph search scores with. */
    public enum Compression {
        /** Full float32 copy; graph scores are exact. */
        NONE,
        /** JVector binary quantization: one bit per component, Hamming-style scores, re-ranked by float32. */
        BINARY,
        /** Float16 codes (half the memory of float32) build and walk the graph; candidates re-ranked from RocksDB. */
        FP16,
        /** Int8 codes with a scale per vector (a quarter of float32); candidates re-ranked from RocksDB. */
        INT8,
        /**
         * Int8 codes build and walk the graph beside the float32 copy, which re-ranks the candidates and serves exact
         * scans in memory: a quarter more memory than NONE for walks that read a quarter of the bytes per node.
         */
        INT8_FLOAT32;

        /** Whether only codes stay in memory, so re-ranking and exact scans read float32 from RocksDB (FP16, INT8). */
        public boolean readsFullPrecisionFromStore() {
            return this == FP16 || this == INT8;
        }

        public static Compression parse(String value) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("index compression '" + value + "' is not supported: use none, "
                        + "binary, fp16, int8 or int8_float32");
            }
        }
    }

    public AnnSettings {
        if (degree < 2 || degree > 512) {
            throw new IllegalArgumentException("ANN graph degree is " + degree + ": use 2 to 512 (16 to 64 is usual)");
        }
        if (beamWidth < degree) {
            throw new IllegalArgumentException("ANN beam width " + beamWidth + " is below the degree " + degree
                    + ": the construction beam must be at least the degree");
        }
        if (!(overquery >= 1.0f) || overquery > 100f) {
            throw new IllegalArgumentException("ANN overquery is " + overquery + ": use 1 to 100");
        }
        if (searchBeam < 1) {
            throw new IllegalArgumentException("ANN search beam is " + searchBeam + ": use at least 1");
        }
        if (minSize < 0) {
            throw new IllegalArgumentException("ANN min size is " + minSize + ": use 0 or more");
        }
        if (compression == null) {
            throw new IllegalArgumentException("ANN compression is null: use NONE, BINARY, FP16, INT8 or INT8_FLOAT32");
        }
        if (!(exactFilterBelow >= 0 && exactFilterBelow <= 1)) {
            throw new IllegalArgumentException("exact-filter fraction is " + exactFilterBelow + ": use 0 to 1");
        }
    }

    /** The number of candidates a graph search keeps for k hits. */
    int searchBeamFor(int k) {
        return Math.max(searchBeam, (int) Math.ceil(k * overquery));
    }
}
