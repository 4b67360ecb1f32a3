package io.clipstream.topology;

import java.time.Duration;

/**
 * When the embedder flushes its buffer: as soon as {@code size} records wait, or every
 * {@code maxWait} of wall-clock time, whichever comes first.
 */
public record BatchSettings(int size, Duration maxWait) {

    public BatchSettings {
        if (size < 1 || size > 4096) {
            throw new IllegalArgumentException("embedder.batch.size must be in 1..4096, got " + size);
        }
        if (maxWait.isNegative() || maxWait.isZero()) {
            throw new IllegalArgumentException("embedder.batch.max.wait.ms must be positive, got " + maxWait.toMillis());
        }
    }
}
