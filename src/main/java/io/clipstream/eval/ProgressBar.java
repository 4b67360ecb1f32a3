package io.clipstream.eval;

import java.io.PrintWriter;

/**
 * A one-line progress bar for long command-line runs, redrawn in place with a carriage return.
 * It redraws only when the shown percentage changes, so it costs nothing per item.
 */
public final class ProgressBar {

    private static final int WIDTH = 30;

    private final String label;
    private final long total;
    private final PrintWriter out;
    private long done;
    private int shownPercent = -1;

    public ProgressBar(String label, long total, PrintWriter out) {
        this.label = label;
        this.total = Math.max(0, total);
        this.out = out;
    }

    public void advance(long items) {
        done = Math.min(total, done + items);
        int percent = total == 0 ? 100 : (int) (done * 100 / total);
        if (percent != shownPercent) {
            shownPercent = percent;
            int filled = percent * WIDTH / 100;
            out.printf("\r%-10s [%s%s] %3d%% %d/%d", label, "#".repeat(filled), ".".repeat(WIDTH - filled), percent, done, total);
            out.flush();
        }
    }

    public void finish() {
        advance(total - done);
        out.println();
        out.flush();
    }
}
