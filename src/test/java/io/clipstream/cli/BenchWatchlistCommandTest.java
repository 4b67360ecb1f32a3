package io.clipstream.cli;

import io.clipstream.tools.bench.WatchlistBenchmark;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Behaviour of `clipstream bench watchlist`; never its speed. */
class BenchWatchlistCommandTest {

    @Test
    void printsOneTableRowPerDimensionAndConceptCountWithEveryMethod() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = ClipstreamCommand.newCommandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("bench", "watchlist", "--seconds", "0.01", "--dims", "8", "--concepts", "3,40", "--model", "none",
                "--no-reference");
        assertEquals(0, code, err.toString());
        String text = out.toString();
        assertTrue(text.contains("| d | concepts | matrix (SimdMatrixKernel) | matrix (ScalarMatrixKernel) | per-concept loop |"), text);
        assertTrue(text.contains("| 8 | 3 |") && text.contains("| 8 | 40 |"), text);
    }

    @Test
    void everyMethodFindsTheSameMatches() {
        // A threshold every pair of random unit vectors in 4 dimensions reaches often, so the counts are not all zero.
        WatchlistBenchmark bench = new WatchlistBenchmark(0.01, 0.2f);
        List<WatchlistBenchmark.Row> rows = bench.run(4, 50, 8);
        assertEquals(3, rows.size());
        rows.forEach(row -> assertTrue(row.microsPerImage() > 0, row.toString()));
        assertTrue(rows.get(0).matches() > 0, rows.toString());
        rows.forEach(row -> assertEquals(rows.get(0).matches(), row.matches(), rows.toString()));
    }
}
