package io.clipstream.common;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of one long piece of command-line work with a known length (images, batches, queries,
 * measurements): a count out of a total, the rate and the time left.
 *
 * <p>On a terminal it is one line redrawn in place with a carriage return, at most once per
 * {@link #REDRAW_INTERVAL} so that a fast loop does not spend its time drawing. Elsewhere (CI logs,
 * a redirected stderr) a redrawn line would pile up as one endless line, so it writes a plain line
 * each time the whole percentage changes instead (at most 100 lines). The clock is passed in so
 * that the rendering can be tested without waiting. Safe to advance from several threads (producer
 * callbacks).
 */
public final class ProgressBar {

    /** How a bar is drawn. */
    public enum Style {
        /** One line, redrawn in place. */
        BAR,
        /** A new line per whole percent. */
        LINES,
        /** Nothing at all. */
        NONE
    }

    static final Duration REDRAW_INTERVAL = Duration.ofMillis(200);
    static final int WIDTH = 30;

    private final String label;
    private final long total;
    private final String unit;
    private final PrintWriter out;
    private final Style style;
    private final LongSupplier nanoClock;
    private final long startNanos;
    private long done;
    private boolean drawn;
    private long lastDrawNanos;
    private int lastPercent = -1;
    private int lastLength;
    private boolean finished;

    /**
     * @param unit      what is counted ("images"); shown with the count and the rate
     * @param nanoClock a monotonic clock in nanoseconds ({@code System::nanoTime})
     */
    public ProgressBar(String label, long total, String unit, PrintWriter out, Style style, LongSupplier nanoClock) {
        this.label = label;
        this.total = Math.max(0, total);
        this.unit = unit;
        this.out = out;
        this.style = out == null ? Style.NONE : style;
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
    }

    public synchronized void advance(long items) {
        set(done + items);
    }

    /** Sets the count (clamped to the total). */
    public synchronized void set(long count) {
        if (finished) {
            return;
        }
        done = Math.max(0, Math.min(total, count));
        long now = nanoClock.getAsLong();
        int percent = percent();
        switch (style) {
            case BAR -> {
                if (!drawn || now - lastDrawNanos >= REDRAW_INTERVAL.toNanos()) {
                    redraw(line(now, false), now);
                }
            }
            case LINES -> {
                if (percent != lastPercent && percent < 100) {
                    lastPercent = percent;
                    out.println(line(now, false));
                    out.flush();
                }
            }
            case NONE -> {
            }
        }
    }

    /** Shows the final state with the time taken, and ends the line. Later calls do nothing. */
    public synchronized void finish() {
        if (finished) {
            return;
        }
        long now = nanoClock.getAsLong();
        switch (style) {
            case BAR -> {
                redraw(line(now, true), now);
                out.println();
                out.flush();
            }
            case LINES -> {
                out.println(line(now, true));
                out.flush();
            }
            case NONE -> {
            }
        }
        finished = true;
    }

    public synchronized long done() {
        return done;
    }

    private void redraw(String line, long now) {
        // Spaces over what is left of a longer previous line (the ETA may shrink).
        String padding = " ".repeat(Math.max(0, lastLength - line.length()));
        out.print("\r" + line + padding);
        out.flush();
        lastLength = line.length();
        lastDrawNanos = now;
        drawn = true;
    }

    private int percent() {
        return total == 0 ? 100 : (int) (done * 100 / total);
    }

    /** The text of the line, without carriage return or newline. */
    String line(long now, boolean final_) {
        int percent = final_ ? 100 : percent();
        long count = final_ ? Math.max(done, total) : done;
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-10s", label));
        if (style == Style.BAR) {
            int filled = percent * WIDTH / 100;
            line.append(" [").append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append(']');
        }
        line.append(String.format(Locale.ROOT, " %3d%% %d/%d %s", percent, count, total, unit));
        double seconds = (now - startNanos) / 1e9;
        double rate = seconds > 0 ? count / seconds : 0;
        if (rate > 0) {
            line.append(String.format(Locale.ROOT, ", %s %s/s", rateText(rate), unit));
        }
        if (final_) {
            line.append(", took ").append(clock(seconds));
        } else if (rate > 0 && done < total) {
            line.append(", ETA ").append(clock((total - done) / rate));
        }
        return line.toString();
    }

    private static String rateText(double rate) {
        return rate >= 100 ? String.format(Locale.ROOT, "%.0f", rate) : String.format(Locale.ROOT, "%.1f", rate);
    }

    /** 0:07, 12:34, 1:02:03. */
    static String clock(double seconds) {
        long s = Math.round(seconds);
        long h = s / 3600;
        long m = (s % 3600) / 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", m, s % 60);
    }

    /**
     * BAR when stderr is a terminal, LINES otherwise. On Linux, where stderr points
     * ({@code /proc/self/fd/2}) says it directly, so that {@code bench ... --json > out.json} still
     * gets a bar. Elsewhere {@code System.console()}, which is null when the streams are redirected
     * (on JDK 22+ it may exist anyway, so its isTerminal() is asked too); both of those look at
     * stdin and stdout, not stderr, so they are the fallback. TERM=dumb (Emacs shells, some CI
     * runners) cannot redraw in place.
     */
    public static Style detectStyle() {
        if ("dumb".equals(System.getenv("TERM"))) {
            return Style.LINES;
        }
        Path stderr = Path.of("/proc/self/fd/2");
        try {
            if (Files.isSymbolicLink(stderr)) {
                return styleFor(Files.readSymbolicLink(stderr).toString());
            }
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // no /proc: ask the console below
        }
        java.io.Console console = System.console();
        if (console == null) {
            return Style.LINES;
        }
        try {
            Object terminal = java.io.Console.class.getMethod("isTerminal").invoke(console);
            return Boolean.TRUE.equals(terminal) ? Style.BAR : Style.LINES;
        } catch (ReflectiveOperationException e) {
            return Style.BAR; // JDK 21: a console exists only on a terminal
        }
    }

    /** The style for stderr pointing at {@code target} (a /proc/self/fd link: /dev/pts/3, pipe:[123], a file). */
    static Style styleFor(String target) {
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") ? Style.BAR : Style.LINES;
    }
}
