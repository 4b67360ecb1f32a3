package io.clipstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ingest benchmark at a tiny scale on the 32-d fixture model: through the real stack, with the
 * local image server, both embedders and the baselines, it must report every figure and the split
 * of each phase's time. Behaviour only; the numbers themselves are not judged.
 */
class BenchIngestCommandTest {

    @Test
    void reportsEveryPhaseWithItsTimeSplitAsJson() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new BenchIngestCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute("--model", "models/fixture-tiny", "--images", "24", "--warmup", "4", "--batch", "8",
                "--latency-ms", "20", "--pipelined", "inline,url", "--serial", "inline,url", "--prepare-threads", "1,2",
                "--baseline-seconds", "0.2", "--jit-warmup", "4", "--partitions", "2", "--set", "fetch.max.per.host=8",
                "--data-dir", "target/it/bench-ingest-" + UUID.randomUUID(), "--json");
        assertEquals(0, exit, err.toString());

        JsonNode report = new ObjectMapper().readTree(out.toString());
        assertEquals("fixture-tiny", report.get("model").asText());
        assertEquals(8, report.get("batch").asInt());
        assertEquals(20, report.get("latencyMs").asLong());
        JsonNode preparation = report.get("preparation");
        assertEquals(2, preparation.size());
        assertEquals(1, preparation.get(0).get("threads").asInt());
        assertTrue(preparation.get(1).get("imagesPerSecond").asDouble() > 0);
        assertTrue(report.get("embedBaseline").get("endToEndPerSecond").asDouble() > 0);
        assertTrue(report.get("embedBaseline").get("modelOnlyPerSecond").asDouble() > 0);

        JsonNode phases = report.get("phases");
        assertEquals(4, phases.size(), phases.toString());
        List<String> names = List.of("pipelined INLINE", "pipelined URL", "serial INLINE", "serial URL");
        for (int i = 0; i < 4; i++) {
            JsonNode phase = phases.get(i);
            assertEquals(names.get(i), phase.get("embedder").asText() + " " + phase.get("source").asText());
            assertEquals(24, phase.get("images").asInt());
            assertTrue(phase.get("perSecond").asDouble() > 0, phase.toString());
            assertTrue(phase.get("stages").get("decode").asDouble() > 0, "every image was decoded: " + phase);
            assertTrue(phase.get("stages").get("image_model").asDouble() > 0, phase.toString());
            assertTrue(phase.get("modelCalls").asLong() > 0, phase.toString());
            assertTrue(phase.get("cpuSeconds").get("embedder stream threads").asDouble() > 0, phase.toString());
            boolean url = phase.get("source").asText().equals("URL");
            assertEquals(url ? 24 : 0, phase.get("fetches").asInt(), "each URL event fetched once: " + phase);
            assertEquals(url, phase.get("stages").get("fetch").asDouble() > 0, phase.toString());
            assertEquals(!url, phase.get("stages").get("thumbnail").asDouble() > 0, "thumbnails only for inline images: " + phase);
        }
        assertTrue(phases.get(0).get("cpuSeconds").get("preparation pool").asDouble() > 0, "the pipelined embedder prepares on its pool");
        assertEquals(0.0, phases.get(2).get("cpuSeconds").get("preparation pool").asDouble(), "the serial one does not");
        assertEquals(5, report.get("ratios").size(), report.get("ratios").toString());
        assertTrue(err.toString().contains("images/s"), "progress goes to stderr: " + err);
    }

    @Test
    void badOptionsAreNamed() {
        assertThrows(IllegalArgumentException.class, () -> BenchIngestCommand.sources(List.of("inline", "ftp")));
        assertThrows(IllegalArgumentException.class, () -> BenchIngestCommand.overrides(List.of("no-equals")));
        assertEquals(List.of(), BenchIngestCommand.sources(List.of("none")));
        assertEquals(List.of(), BenchIngestCommand.threads(List.of("none")));
    }
}
