package io.clipstream.store;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * FP16 and INT8 graphs: built and walked on codes only, candidates re-ranked with float32 vectors read from the
 * full-precision source (the store's RocksDB; a map here), so returned scores are exact.
 */
class CompressedGraphVectorIndexTest {

    private static final int DIMENSION = 64;
    private static final int K = 10;

    private static AnnSettings graphOnly(AnnSettings.Compression compression) {
        return new AnnSettings(32, 100, 2.0f, 64, 0, compression, 0.0);
    }

    /** The float32 vectors by id, counting reads: what the store's RocksDB is to the index. */
    private static final class MapSource implements FullPrecisionSource {
        final Map<String, float[]> vectors = new ConcurrentHashMap<>();
        final AtomicInteger reads = new AtomicInteger();

        @Override
        public float[] vector(String id) {
            reads.incrementAndGet();
            return vectors.get(id);
        }
    }

    /** Puts items "item-0" .. into the source (RocksDB's stand-in), the graph and the exact index alike. */
    private static void fill(Random random, int count, MapSource source, GraphVectorIndex graph, ExactVectorIndex exact) {
        for (int i = 0; i < count; i++) {
            float[] vector = TestVectors.randomUnitVector(random, DIMENSION);
            source.vectors.put("item-" + i, vector);
            graph.upsert("item-" + i, vector, Map.of());
            exact.upsert("item-" + i, vector, Map.of());
        }
    }

    @ParameterizedTest
    @EnumSource(value = AnnSettings.Compression.class, names = {"FP16", "INT8"})
    void recallAndScoresMatchTheExactScanAndOnlyCodesStayInMemory(AnnSettings.Compression compression) {
        Random random = new Random(17);
        MapSource source = new MapSource();
        GraphVectorIndex graph = new GraphVectorIndex(DIMENSION, 16, graphOnly(compression), source);
        ExactVectorIndex exact = new ExactVectorIndex(DIMENSION, 16);
        fill(random, 5_000, source, graph, exact);
        long codeBytes = compression == AnnSettings.Compression.INT8 ? DIMENSION + 4 : DIMENSION * 2;
        assertEquals(codeBytes + 32 * 4, graph.bytesPerVector(), "codes and edges, no float32 copy");

        double recallSum = 0;
        int queries = 100;
        for (int q = 0; q < queries; q++) {
            float[] query = TestVectors.randomUnitVector(random, DIMENSION);
            List<IndexHit> truth = exact.search(query, K, FieldFilter.NONE, Float.NEGATIVE_INFINITY).hits();
            int readsBefore = source.reads.get();
            List<IndexHit> hits = graph.search(query, K, FieldFilter.NONE, Float.NEGATIVE_INFINITY).hits();
            int reads = source.reads.get() - readsBefore;
            assertTrue(reads >= K && reads <= 2 * K, "re-ranks k * overquery candidates from the source, read " + reads);
            Set<String> expected = new HashSet<>();
            truth.forEach(hit -> expected.add(hit.id()));
            recallSum += hits.stream().filter(hit -> expected.contains(hit.id())).count() / (double) K;
            for (IndexHit hit : hits) {
                assertEquals(VectorMath.dot(query, source.vectors.get(hit.id())), hit.score(),
                        "the score is the float32 one, bit for bit");
            }
        }
        double recall = recallSum / queries;
        assertTrue(recall >= 0.95, compression + " recall@10 " + recall);
        // The exact path reads float32 for every item: the same answer as the exact index.
        float[] query = TestVectors.randomUnitVector(random, DIMENSION);
        assertEquals(exact.search(query, K, FieldFilter.NONE, Float.NEGATIVE_INFINITY).hits(),
                graph.searchExact(query, K, FieldFilter.NONE, Float.NEGATIVE_INFINITY).hits());
        graph.close();
    }

    @Test
    void deletedAndReplacedItemsAreNeverReturnedFromACompressedGraph() {
        Random random = new Random(23);
        MapSource source = new MapSource();
        GraphVectorIndex graph = new GraphVectorIndex(DIMENSION, 16, graphOnly(AnnSettings.Compression.INT8), source);
        for (int i = 0; i < 3_000; i++) {
            float[] vector = TestVectors.randomUnitVector(random, DIMENSION);
            source.vectors.put("item-" + i, vector);
            graph.upsert("item-" + i, vector, Map.of());
        }
        Map<String, float[]> deleted = new ConcurrentHashMap<>();
        for (int i = 0; i < 1_000; i++) {
            String id = "item-" + i;
            // As the store does: RocksDB first, then the index.
            deleted.put(id, source.vectors.remove(id));
            assertTrue(graph.remove(id));
        }
        for (int i = 1_000; i < 1_300; i++) {
            float[] replacement = TestVectors.randomUnitVector(random, DIMENSION);
            source.vectors.put("item-" + i, replacement);
            graph.upsert("item-" + i, replacement, Map.of());
        }
        assertEquals(2_000, graph.size());
        for (float[] gone : deleted.values().stream().limit(200).toList()) {
            for (IndexHit hit : graph.search(gone, K, FieldFilter.NONE, Float.NEGATIVE_INFINITY).hits()) {
                assertTrue(source.vectors.containsKey(hit.id()), "deleted " + hit.id() + " returned");
            }
        }
        for (int i = 1_000; i < 1_300; i++) {
            float[] current = source.vectors.get("item-" + i);
            IndexHit first = graph.search(current, 1, FieldFilter.NONE, Float.NEGATIVE_INFINITY).hits().get(0);
            assertEquals("item-" + i, first.id(), "a replaced item is found by its new vector");
            assertEquals(VectorMath.dot(current, current), first.score());
        }
        graph.close();
    }

    @Test
    void int8Float32WalksOnCodesAndReRanksInMemoryWithoutReadingTheSource() {
        Random random = new Random(29);
        MapSource source = new MapSource();
        GraphVectorIndex graph = new GraphVectorIndex(DIMENSION, 16, graphOnly(AnnSettings.Compression.INT8_FLOAT32), source);
        ExactVectorIndex exact = new ExactVectorIndex(DIMENSION, 16);
        fill(random, 5_000, source, graph, exact);
        for (int i = 0; i < 500; i++) {
            assertTrue(graph.remove("item-" + i));
            exact.remove("item-" + i);
        }
        assertEquals(DIMENSION * 4 + (DIMENSION + 4) + 32 * 4, graph.bytesPerVector(), "float32, int8 codes and edges");

        double recallSum = 0;
        int queries = 100;
        for (int q = 0; q < queries; q++) {
            float[] query = TestVectors.randomUnitVector(random, DIMENSION);
            Set<String> expected = new HashSet<>();
            exact.search(query, K, FieldFilter.NONE, Float.NEGATIVE_INFINITY).hits().forEach(hit -> expected.add(hit.id()));
            List<IndexHit> hits = graph.search(query, K, FieldFilter.NONE, Float.NEGATIVE_INFINITY).hits();
            recallSum += hits.stream().filter(hit -> expected.contains(hit.id())).count() / (double) K;
            for (IndexHit hit : hits) {
                assertTrue(Integer.parseInt(hit.id().substring("item-".length())) >= 500, "deleted " + hit.id() + " returned");
                assertEquals(VectorMath.dot(query, source.vectors.get(hit.id())), hit.score(),
                        "the score is the float32 one, bit for bit");
            }
        }
        assertTrue(recallSum / queries >= 0.95, "int8_float32 recall@10 " + recallSum / queries);
        float[] query = TestVectors.randomUnitVector(random, DIMENSION);
        assertEquals(exact.search(query, K, FieldFilter.NONE, Float.NEGATIVE_INFINITY).hits(),
                graph.searchExact(query, K, FieldFilter.NONE, Float.NEGATIVE_INFINITY).hits());
        assertEquals(0, source.reads.get(), "the float32 copy is in memory: nothing is read from the source");
        graph.close();
        // And so it needs no source at all.
        new GraphVectorIndex(DIMENSION, 16, graphOnly(AnnSettings.Compression.INT8_FLOAT32)).close();
    }

    @Test
    void aCompressedIndexWithoutAFullPrecisionSourceIsRefused() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new GraphVectorIndex(DIMENSION, 16, graphOnly(AnnSettings.Compression.INT8)));
        assertTrue(refused.getMessage().contains("full-precision source"), refused.getMessage());
    }

    @Test
    void compressionNamesParseAndUnknownOnesNameTheChoices() {
        assertEquals(AnnSettings.Compression.INT8, AnnSettings.Compression.parse(" int8 "));
        assertEquals(AnnSettings.Compression.FP16, AnnSettings.Compression.parse("FP16"));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> AnnSettings.Compression.parse("pq"));
        assertTrue(refused.getMessage().contains("none, binary, fp16, int8 or int8_float32"), refused.getMessage());
        assertEquals(AnnSettings.Compression.INT8_FLOAT32, AnnSettings.Compression.parse("int8_float32"));
    }
}
