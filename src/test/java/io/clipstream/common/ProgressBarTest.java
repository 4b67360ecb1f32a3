package io.clipstream.common;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bar's text for given counts and clock readings; the clock is a counter, nothing waits. */
class ProgressBarTest {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong clock = new AtomicLong(1000 * SECOND);
    private final StringWriter written = new StringWriter();

    private ProgressBar bar(ProgressBar.Style style, long total) {
        return new ProgressBar("images", total, "images", new PrintWriter(written), style, clock::get);
    }

    @Test
    void plainLinesShowCountRateAndEtaOncePerPercent() {
        ProgressBar bar = bar(ProgressBar.Style.LINES, 200);
        clock.addAndGet(2 * SECOND);
        bar.advance(1); // 0%
        bar.advance(1); // 1%
        bar.advance(1); // still 1%: no new line
        clock.addAndGet(2 * SECOND);
        bar.set(100);   // 50% after 4 s: 25 images/s, 100 left = 4 s
        clock.addAndGet(4 * SECOND);
        bar.set(200);   // 100% is left to finish()
        bar.finish();
        bar.finish();   // once only
        assertEquals(String.join(System.lineSeparator(),
                "images       0% 1/200 images, 0.5 images/s, ETA 6:38",
                "images       1% 2/200 images, 1.0 images/s, ETA 3:18",
                "images      50% 100/200 images, 25.0 images/s, ETA 0:04",
                "images     100% 200/200 images, 25.0 images/s, took 0:08",
                ""), written.toString());
    }

    @Test
    void terminalBarRedrawsInPlaceAtABoundedRate() {
        ProgressBar bar = bar(ProgressBar.Style.BAR, 10);
        clock.addAndGet(SECOND);
        bar.advance(1);                       // first draw
        bar.advance(1);                       // same instant: not drawn
        clock.addAndGet(ProgressBar.REDRAW_INTERVAL.toNanos() - 1);
        bar.advance(1);                       // too soon: not drawn
        clock.addAndGet(1);
        bar.advance(1);                       // interval passed: drawn, 4/10
        String[] frames = written.toString().split("\r", -1);
        assertEquals(3, frames.length, written.toString()); // "" before the first \r, then two frames
        assertEquals("images     [###...........................]  10% 1/10 images, 1.0 images/s, ETA 0:09", frames[1]);
        assertTrue(frames[2].startsWith("images     [############..................]  40% 4/10 images"), frames[2]);
    }

    @Test
    void aShorterFrameIsPaddedOverTheLongerOne() {
        ProgressBar bar = bar(ProgressBar.Style.BAR, 10_000);
        clock.addAndGet(SECOND);
        bar.advance(1);                       // ETA 2:46:39
        clock.addAndGet(SECOND);
        bar.set(10);                          // 5.0 images/s, ETA 33:18: one character shorter
        String[] frames = written.toString().split("\r", -1);
        assertTrue(frames[1].endsWith("ETA 2:46:39"), frames[1]);
        assertTrue(frames[2].endsWith("ETA 33:18 "), frames[2]);
        assertEquals(frames[1].length(), frames[2].length(), "blanks cover the rest of the longer line");
    }

    @Test
    void finishOnATerminalShowsTheWholeBarAndEndsTheLine() {
        ProgressBar bar = bar(ProgressBar.Style.BAR, 4);
        clock.addAndGet(2 * SECOND);
        bar.advance(3);
        bar.finish();
        String last = written.toString().substring(written.toString().lastIndexOf('\r') + 1);
        assertEquals("images     [##############################] 100% 4/4 images, 2.0 images/s, took 0:02"
                + System.lineSeparator(), last);
        bar.advance(1);
        assertTrue(written.toString().endsWith(System.lineSeparator()), "nothing is drawn after finish");
    }

    @Test
    void countsAreClampedAndAnEmptyTotalIsComplete() {
        ProgressBar bar = bar(ProgressBar.Style.LINES, 0);
        bar.advance(5);
        assertEquals(0, bar.done());
        bar.finish();
        assertEquals("images     100% 0/0 images, took 0:00" + System.lineSeparator(), written.toString());
    }

    @Test
    void noneWritesNothing() {
        ProgressBar bar = bar(ProgressBar.Style.NONE, 3);
        bar.advance(2);
        bar.finish();
        assertEquals("", written.toString());
        assertEquals(2, bar.done());
        ProgressBars.NONE.start("x", 1, "items").finish();
    }

    @Test
    void clockFormatsMinutesAndHours() {
        assertEquals("0:07", ProgressBar.clock(7.4));
        assertEquals("12:34", ProgressBar.clock(754));
        assertEquals("1:02:03", ProgressBar.clock(3723));
    }

    @Test
    void aBarOnlyWhereStderrIsATerminal() {
        assertEquals(ProgressBar.Style.BAR, ProgressBar.styleFor("/dev/pts/3"));
        assertEquals(ProgressBar.Style.BAR, ProgressBar.styleFor("/dev/tty1"));
        assertEquals(ProgressBar.Style.LINES, ProgressBar.styleFor("pipe:[48213]"));
        assertEquals(ProgressBar.Style.LINES, ProgressBar.styleFor("/var/log/ci/build.log"));
        assertEquals(ProgressBar.Style.LINES, ProgressBar.styleFor("/dev/null"));
    }
}
