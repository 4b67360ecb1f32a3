package io.clipstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole benchmark at a tiny scale on the 32-d fixture model: it must run through the real
 * stack and report every figure. Behaviour only; the numbers themselves are not judged.
 */
class BenchPipelineCommandTest {

    @Test
    void reportsEveryFigureAsJson() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new BenchPipelineCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute("--model", "models/fixture-tiny", "--vectors", "100,200", "--queries", "20", "--warmup", "5",
                "--images", "20", "--partitions", "2", "--data-dir", "target/it/bench-pipeline-" + UUID.randomUUID(), "--restart",
                "--data", "clustered", "--json");
        assertEquals(0, exit, err.toString());

        JsonNode report = new ObjectMapper().readTree(out.toString());
        assertEquals("fixture-tiny", report.get("model").asText());
        assertEquals(32, report.get("dimension").asInt());
        assertEquals(2, report.get("partitions").asInt());
        assertTrue(report.get("environment").get("processors").asInt() > 0);

        JsonNode ingest = report.get("ingest");
        assertEquals(3, ingest.size(), ingest.toString());
        assertIngest(ingest.get(0), "vectors", 0, 100);
        assertIngest(ingest.get(1), "vectors", 100, 100);
        assertIngest(ingest.get(2), "images", 200, 20);

        JsonNode catchUp = report.get("catchUp");
        assertEquals(2, catchUp.size(), catchUp.toString());
        for (int step = 0; step < 2; step++) {
            JsonNode figure = catchUp.get(step);
            assertEquals(100 * (step + 1), figure.get("indexSize").asInt(), figure.toString());
            // Waited for the graphs first, then for the rest of the background work, both from the step's first send.
            assertTrue(figure.get("caughtUpSeconds").asDouble() >= figure.get("graphsSeconds").asDouble(), figure.toString());
            assertTrue(figure.get("graphsSeconds").asDouble() >= ingest.get(step).get("searchableSeconds").asDouble(),
                    "searchable comes before the graphs are waited for: " + figure);
            assertEquals(100, figure.get("searchIntervalMs").asLong());
        }

        JsonNode restart = report.get("restarts");
        assertEquals(1, restart.size(), restart.toString());
        assertEquals(200, restart.get(0).get("indexSize").asInt());
        assertEquals(20, restart.get(0).get("probes").asInt());
        assertEquals(20, restart.get(0).get("identicalAnswers").asInt(), "the restarted instance answers as before: " + restart);
        assertEquals(1.0, restart.get(0).get("recallAfter").asDouble(), 1e-9, "200 vectors are scanned exactly: " + restart);

        JsonNode latency = report.get("searchLatency");
        assertEquals(2, latency.size());
        assertEquals(100, latency.get(0).get("indexSize").asInt());
        assertEquals(200, latency.get(1).get("indexSize").asInt());
        for (JsonNode figure : latency) {
            assertEquals(10, figure.get("k").asInt());
            JsonNode client = figure.get("client");
            assertEquals(20, client.get("count").asInt());
            for (String field : new String[]{"p50Ms", "p99Ms", "meanMs", "maxMs"}) {
                assertTrue(client.get(field).asDouble() > 0, field + " in " + figure);
            }
            assertTrue(client.get("p50Ms").asDouble() <= client.get("p99Ms").asDouble());
            assertTrue(client.get("p99Ms").asDouble() <= client.get("maxMs").asDouble());
            // The server's own time is part of what the client waited for, so its median cannot pass the client's
            // (tookMs is whole milliseconds: one of rounding allowed).
            assertTrue(figure.get("serverTookMsP50").asDouble() <= client.get("p50Ms").asDouble() + 1, figure.toString());
            assertTrue(figure.get("heapUsedMb").asLong() > 0, figure.toString());
        }
        assertTrue(err.toString().contains("searchable after"), "progress goes to stderr: " + err);
    }

    static void assertIngest(JsonNode figure, String input, int before, int items) {
        assertEquals(input, figure.get("input").asText(), figure.toString());
        assertEquals(before, figure.get("indexSizeBefore").asInt(), figure.toString());
        assertEquals(items, figure.get("items").asInt(), figure.toString());
        assertTrue(figure.get("produceSeconds").asDouble() > 0, figure.toString());
        assertTrue(figure.get("searchableSeconds").asDouble() > 0, figure.toString());
        assertTrue(figure.get("perSecond").asDouble() > 0, figure.toString());
        assertEquals(items, figure.get("spotChecked").asInt(), "at this size every id is checked: " + figure);
    }
}
