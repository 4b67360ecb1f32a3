package io.clipstream.cli;

import io.clipstream.tools.bench.DecodeBenchmark;
import io.clipstream.serde.MemorySchemaRegistry;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Behaviour of `clipstream bench decode`; never its speed. */
class BenchDecodeCommandTest {

    @Test
    void printsOneRowPerPath() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = ClipstreamCommand.newCommandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("bench", "decode", "--records", "20", "--dim", "16", "--seconds", "0.01");
        assertEquals(0, code, err.toString());
        String text = out.toString();
        assertTrue(text.contains("| path | us/record | records/s | vs before |"), text);
        assertTrue(text.contains("| before: decode, re-encode, decode (new item) |") && text.contains("| now: one read into float[], handed off |"),
                text);
    }

    @Test
    void everyPathIsMeasuredOnRecordsItAgreesOn() {
        // run() refuses to measure paths that give the index different vectors or fields.
        List<DecodeBenchmark.Row> rows = new DecodeBenchmark(new MemorySchemaRegistry(), 0.01).run(50, 512);
        assertEquals(4, rows.size());
        rows.forEach(row -> assertTrue(row.recordsPerSecond() > 0, row.toString()));
    }
}
