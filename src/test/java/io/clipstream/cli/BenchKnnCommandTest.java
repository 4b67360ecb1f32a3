package io.clipstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clipstream.tools.bench.RecallCurve;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bench knn on a small set, with a stand-in for the hnswlib script whose sweep is known: every index is stated
 * against hnswlib at the same recall and build threads, and the chart is drawn.
 */
class BenchKnnCommandTest {

    static final List<RecallCurve.Point> HNSWLIB = List.of(new RecallCurve.Point(0.5, 40000),
            new RecallCurve.Point(0.9, 20000), new RecallCurve.Point(1.0, 5000));

    @Test
    void statesEveryIndexAgainstHnswlibAtTheSameRecallAndDrawsTheCurves() throws Exception {
        Path work = Path.of("target", "bench-knn-test-" + UUID.randomUUID());
        StringWriter out = new StringWriter();
        CommandLine command = new CommandLine(new BenchKnnCommand());
        command.setOut(new PrintWriter(out)).setErr(new PrintWriter(new StringWriter()));
        int exit = command.execute("--n", "2000", "--dim", "32", "--queries-count", "20", "--search-beams", "10,40,100",
                "--compression", "int8_float32,none", "--work-dir", work.toString(), "--python", "/bin/sh",
                "--reference", "src/test/resources/bench/fixed_reference.sh", "--json");
        assertEquals(0, exit, out.toString());
        JsonNode result = new ObjectMapper().readTree(out.toString());
        RecallCurve hnswlib = new RecallCurve("hnswlib", HNSWLIB);
        assertEquals(2, result.path("indexes").size());
        for (JsonNode index : result.path("indexes")) {
            assertEquals(index.path("build_per_s").asDouble() / 2000.0, index.path("build_rate_vs_hnswlib").asDouble(), 1e-9);
            for (JsonNode point : index.path("sweep")) {
                RecallCurve.Point at = new RecallCurve.Point(point.path("recall").asDouble(), point.path("qps").asDouble());
                double expected = at.qps() / hnswlib.qpsAt(at.recall()).orElseThrow();
                assertEquals(expected, point.path("vs_hnswlib_at_same_recall").asDouble(), 1e-9 * expected, point.toString());
            }
            JsonNode at95 = index.path("at_recall").path("0.95");
            double hnswlibAt95 = hnswlib.qpsAt(0.95).orElseThrow();
            assertEquals(hnswlibAt95, at95.path("hnswlib_qps").asDouble(), 1e-6);
            if (!at95.path("qps").isNull()) {
                assertEquals(at95.path("qps").asDouble() / hnswlibAt95, at95.path("ratio").asDouble(), 1e-9);
            }
        }
        Path chart = Path.of(result.path("chart").asText());
        byte[] png = Files.readAllBytes(chart);
        assertTrue(png.length > 1000, "chart of " + png.length + " bytes");
        assertArrayEquals(new byte[]{(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4));
    }

    @Test
    void aFailingReferenceStillPrintsTheIndexFiguresAndExitsNonZero() throws Exception {
        Path work = Path.of("target", "bench-knn-test-" + UUID.randomUUID());
        StringWriter out = new StringWriter();
        CommandLine command = new CommandLine(new BenchKnnCommand());
        command.setOut(new PrintWriter(out)).setErr(new PrintWriter(new StringWriter()));
        int exit = command.execute("--n", "500", "--dim", "16", "--queries-count", "5", "--search-beams", "10",
                "--compression", "none", "--work-dir", work.toString(), "--python", "/bin/false", "--json");
        assertEquals(1, exit);
        JsonNode result = new ObjectMapper().readTree(out.toString());
        assertEquals(1, result.path("indexes").size(), out.toString());
        assertTrue(result.path("reference_error").asText().contains("failed"), out.toString());
    }
}
