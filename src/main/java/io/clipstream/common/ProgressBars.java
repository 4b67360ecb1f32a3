package io.clipstream.common;

import io.clipstream.common.ProgressBar;
import java.io.PrintWriter;
import java.util.function.LongSupplier;

/**
 * Where a command's progress bars go and how they are drawn, handed to the code doing the work so
 * that it can start a bar per phase without knowing about terminals. {@link #NONE} draws nothing.
 */
public record ProgressBars(PrintWriter out, ProgressBar.Style style, LongSupplier nanoClock) {

    public static final ProgressBars NONE = new ProgressBars(null, ProgressBar.Style.NONE, System::nanoTime);

    /** Bars on {@code err} (a command's stderr), styled for what stderr is. */
    public static ProgressBars on(PrintWriter err) {
        return new ProgressBars(err, ProgressBar.detectStyle(), System::nanoTime);
    }

    public ProgressBar start(String label, long total, String unit) {
        return new ProgressBar(label, total, unit, out, style, nanoClock);
    }
}
