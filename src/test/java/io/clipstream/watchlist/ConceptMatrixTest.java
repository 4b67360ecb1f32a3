package io.clipstream.watchlist;

import io.clipstream.testing.TestVectors;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConceptMatrixTest {

    /** Every kernel must report exactly the pairs a double-precision brute force finds at or above the thresholds. */
    @Test
    void kernelsFindExactlyTheBruteForceMatches() {
        for (int dimension : new int[]{3, 32, 37, 384, 512}) {
            for (int rows : new int[]{1, 3, 4, 7, 32}) {
                Random random = new Random(dimension * 31L + rows);
                List<WatchedConcept> concepts = new ArrayList<>();
                int conceptCount = 1 + random.nextInt(700);
                for (int c = 0; c < conceptCount; c++) {
                    // Low thresholds so that a good share of pairs match.
                    concepts.add(new WatchedConcept("c" + c, "l" + c, (float) (random.nextGaussian() * 0.05), null,
                            TestVectors.randomUnitVector(random, dimension)));
                }
                float[] batch = new float[rows * dimension];
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(TestVectors.randomUnitVector(random, dimension), 0, batch, r * dimension, dimension);
                }
                TreeMap<String, Double> expected = new TreeMap<>();
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < conceptCount; c++) {
                        double score = 0;
                        for (int k = 0; k < dimension; k++) {
                            score += (double) batch[r * dimension + k] * concepts.get(c).vector()[k];
                        }
                        double gap = Math.abs(score - concepts.get(c).threshold());
                        if (gap < 1e-5) {
                            continue; // float order could decide; such pairs are checked by neither side
                        }
                        if (score >= concepts.get(c).threshold()) {
                            expected.put(r + "/" + c, score);
                        }
                    }
                }
                assertTrue(!expected.isEmpty() || rows * conceptCount < 4);
                for (MatrixKernel kernel : List.of(new ScalarMatrixKernel(), new SimdMatrixKernel(), MatrixKernel.best())) {
                    ConceptMatrix matrix = ConceptMatrix.of(concepts, dimension, kernel);
                    TreeMap<String, Float> found = new TreeMap<>();
                    matrix.matches(batch, rows, (r, c, score) -> {
                        String key = r + "/" + c;
                        assertTrue(found.put(key, score) == null, "reported twice: " + key);
                    });
                    for (var e : expected.entrySet()) {
                        assertTrue(found.containsKey(e.getKey()), kernel + " missed " + e.getKey() + " d=" + dimension);
                        assertEquals(e.getValue(), found.get(e.getKey()), 1e-5, e.getKey());
                    }
                    for (var e : found.entrySet()) {
                        String[] rc = e.getKey().split("/");
                        WatchedConcept concept = concepts.get(Integer.parseInt(rc[1]));
                        assertTrue(expected.containsKey(e.getKey()) || Math.abs(e.getValue() - concept.threshold()) < 1e-5,
                                kernel + " reported " + e.getKey() + " below its threshold");
                    }
                }
            }
        }
    }

    @Test
    void theSimdKernelIsPickedWhenTheVectorModuleIsLoaded() {
        // The test JVM runs with --add-modules jdk.incubator.vector (pom.xml), as bin/clipstream does.
        assertInstanceOf(SimdMatrixKernel.class, MatrixKernel.best());
    }

    @Test
    void anEmptyMatrixMatchesNothingAndAShortBatchIsRefused() {
        ConceptMatrix empty = ConceptMatrix.empty(4);
        empty.matches(new float[8], 2, (r, c, s) -> {
            throw new AssertionError("no concepts, no match");
        });
        ConceptMatrix one = ConceptMatrix.of(List.of(new WatchedConcept("a", "a", 0f, null, new float[]{1, 0, 0, 0})), 4);
        assertThrows(IllegalArgumentException.class, () -> one.matches(new float[7], 2, (r, c, s) -> {
        }));
        assertThrows(IllegalArgumentException.class, () -> ConceptMatrix.of(
                List.of(new WatchedConcept("a", "a", 0f, null, new float[3])), 4));
    }

    @Test
    void tenantRestrictedConceptsApplyOnlyToTheirTenant() {
        WatchedConcept concept = new WatchedConcept("a", "a", 0f, "acme", new float[]{1});
        assertTrue(concept.appliesTo("acme"));
        assertTrue(!concept.appliesTo("globex") && !concept.appliesTo(null));
        assertTrue(new WatchedConcept("b", "b", 0f, null, new float[]{1}).appliesTo(null));
    }
}
