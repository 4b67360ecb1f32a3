package io.clipstream.tools.bench;

/**
 * Single-thread sequential read bandwidth of this machine's memory, measured the way an exact scan reads: summing a
 * long array far larger than the caches. The best of a few passes, in bytes per second.
 */
public final class MemoryBandwidth {

    private MemoryBandwidth() {
    }

    /** @param bytes array size; use several times the last-level cache (256 MiB or more) */
    public static double readBytesPerSecond(long bytes, int passes) {
        long[] data = new long[(int) Math.min(Integer.MAX_VALUE - 8, bytes / Long.BYTES)];
        for (int i = 0; i < data.length; i++) {
            data[i] = i;
        }
        double best = 0;
        long sink = 0;
        for (int pass = 0; pass < passes; pass++) {
            long start = System.nanoTime();
            long s0 = 0;
            long s1 = 0;
            long s2 = 0;
            long s3 = 0;
            int i = 0;
            for (; i + 3 < data.length; i += 4) {
                s0 += data[i];
                s1 += data[i + 1];
                s2 += data[i + 2];
                s3 += data[i + 3];
            }
            sink += s0 + s1 + s2 + s3;
            double seconds = (System.nanoTime() - start) / 1e9;
            best = Math.max(best, (double) data.length * Long.BYTES / seconds);
        }
        if (sink == 42) { // keeps the JIT from dropping the loop
            System.err.print("");
        }
        return best;
    }
}
