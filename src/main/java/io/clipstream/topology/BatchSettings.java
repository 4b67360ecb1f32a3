package io.clipstream.topology;

import java.time.Duration;

/**
 * When the embedder seals its buffered records into a batch: as soon as {@code size} records wait,
 * or every {@code maxWait} of wall-clock time, whichever comes first; and how many batches' worth of
 * sealed records ({@code inFlight} x {@code size}) one task may still have preparing or in the
 * model while the next batch fills (0: each batch is sent in the step that sealed it, the serial
 * embedder's behaviour).
 */
public record BatchSettings(int size, Duration maxWait, int inFlight) {

    /** Most batches in flight per task; each holds up to {@code size} prepared inputs in memory. */
    public static final int MAX_IN_FLIGHT = 64;

    public BatchSettings {
        if (size < 1 || size > 4096) {
            throw new IllegalArgumentException("embedder.batch.size must be in 1..4096, got " + size);
        }
        if (maxWait.isNegative() || maxWait.isZero()) {
            throw new IllegalArgumentException("embedder.batch.max.wait.ms must be positive, got " + maxWait.toMillis());
        }
        if (inFlight < 0 || inFlight > MAX_IN_FLIGHT) {
            throw new IllegalArgumentException("embedder.batches.in.flight must be in 0.." + MAX_IN_FLIGHT + ", got " + inFlight);
        }
    }

    /** Batches sent in the step that sealed them, as the serial embedder did. */
    public BatchSettings(int size, Duration maxWait) {
        this(size, maxWait, 0);
    }
}
