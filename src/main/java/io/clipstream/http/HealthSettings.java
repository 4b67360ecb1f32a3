package io.clipstream.http;

import java.time.Duration;

/**
 * When a Kafka Streams application counts as failing although its state says RUNNING.
 *
 * @param maxReplacements health.thread.replacements.max: stream threads replaced within {@code window} that are still
 *                        tolerated; one more and /health/ready answers 503 naming the application and the failing record
 * @param window          health.thread.replacements.window.ms
 */
public record HealthSettings(int maxReplacements, Duration window) {

    public static final HealthSettings DEFAULT = new HealthSettings(3, Duration.ofMinutes(10));

    public HealthSettings {
        if (maxReplacements < 0) {
            throw new IllegalArgumentException("health.thread.replacements.max must be >= 0, got " + maxReplacements);
        }
        if (window.toMillis() < 1) {
            throw new IllegalArgumentException("health.thread.replacements.window.ms must be >= 1, got " + window.toMillis());
        }
    }
}
