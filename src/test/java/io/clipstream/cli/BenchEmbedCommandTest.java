package io.clipstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Behaviour of `clipstream bench embed` on the fixture model; never its speed. */
class BenchEmbedCommandTest {

    private static final String[] SHORT_RUN = {"bench", "embed", "--seconds", "0.2", "--batches", "1", "--no-torch",
            "--model", "models/fixture-tiny"};

    @Test
    void jsonReportHasPositiveFiguresForBothModalitiesAndNoTorchColumn() throws Exception {
        Run run = execute(append(SHORT_RUN, "--json"));
        assertEquals(0, run.exitCode(), run.err());
        JsonNode report = new ObjectMapper().readTree(run.out());
        assertEquals(1, report.path("conditions").path("batches").size());
        assertEquals("not run", report.path("conditions").path("torch").asText());
        JsonNode rows = report.path("rows");
        assertEquals(2, rows.size(), run.out());
        Set<String> modalities = new java.util.HashSet<>();
        for (JsonNode row : rows) {
            assertEquals("fixture-tiny", row.path("model").asText());
            assertEquals(1, row.path("batch").asInt());
            modalities.add(row.path("modality").asText());
            for (String field : List.of("clipstreamModelPerSecond", "clipstreamEndToEndPerSecond")) {
                double value = row.path(field).asDouble(-1);
                assertTrue(value > 0 && Double.isFinite(value), field + " = " + row.path(field));
            }
            assertTrue(row.path("torchPerSecond").isNull(), "torch was not run, so no figure: " + row);
            assertTrue(row.path("clipstreamOverTorch").isNull(), row.toString());
        }
        assertEquals(Set.of("text", "image"), modalities);
    }

    @Test
    void tablePrintsOneRowPerModalityUnderTheHeader() {
        Run run = execute(SHORT_RUN);
        assertEquals(0, run.exitCode(), run.err());
        List<String> lines = run.out().lines().toList();
        int header = indexOfLineStartingWith(lines, "model ");
        assertTrue(header >= 0, "no header in\n" + run.out());
        assertTrue(lines.get(header).contains("clipstream model/s") && lines.get(header).contains("torch/s"), lines.get(header));
        List<String> rows = lines.subList(header + 1, lines.size()).stream()
                .filter(line -> line.startsWith("fixture-tiny")).toList();
        assertEquals(Set.of("text", "image"), rows.stream().map(r -> r.split("\\s+")[1]).collect(Collectors.toSet()), run.out());
        for (String row : rows) {
            String[] cells = row.trim().split("\\s+");
            assertEquals(7, cells.length, row);
            assertEquals("1", cells[2], row);
            assertTrue(Double.parseDouble(cells[3]) > 0, row);
            assertTrue(Double.parseDouble(cells[4]) > 0, row);
            assertEquals("-", cells[5], "no torch figure with --no-torch: " + row);
        }
    }

    @Test
    void nonPositiveSecondsIsRefusedWithTheReason() {
        Run run = execute("bench", "embed", "--seconds", "0", "--no-torch", "--model", "models/fixture-tiny");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("--seconds must be positive"), run.err());
    }

    @Test
    void anUndecodableBenchmarkImageIsNamedInTheError(@TempDir Path images) throws Exception {
        Files.write(images.resolve("broken.jpg"), "not an image".getBytes(StandardCharsets.US_ASCII));
        Run run = execute(append(SHORT_RUN, "--images", images.toString()));
        assertEquals(1, run.exitCode());
        assertTrue(run.err().startsWith("clipstream bench embed: ") && run.err().contains("broken.jpg"), run.err());
    }

    private static int indexOfLineStartingWith(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    private static String[] append(String[] args, String... more) {
        String[] all = Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }

    private record Run(int exitCode, String out, String err) {
    }

    private static Run execute(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = ClipstreamCommand.newCommandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }
}
