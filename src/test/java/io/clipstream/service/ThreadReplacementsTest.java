package io.clipstream.service;

import io.clipstream.http.HealthSettings;
import io.clipstream.http.Readiness;
import io.clipstream.topology.FailedRecords;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import io.clipstream.testing.ErrorContexts;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A thread replaced again and again is reported, with the record it fails on; one replacement now and then is not. */
class ThreadReplacementsTest {

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    final TestClock clock = new TestClock();
    final FailedRecords records = new FailedRecords();
    final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final ThreadReplacements replacements = new ThreadReplacements(new HealthSettings(2, Duration.ofMinutes(5)), records, metrics, clock);

    @Test
    void moreThanTheLimitWithinTheWindowMakesTheApplicationFailingWithItsRecord() {
        replacements.watch("responder");
        replacements.close(); // no pauses in a test
        for (int i = 0; i < 3; i++) {
            records.failing("app-responder", ErrorContexts.of("search.requests", 1, 42 + i, new TaskId(0, 1), null, null),
                    new IllegalStateException("registry down"));
            assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD,
                    replacements.replace("responder", "app-responder", new StreamsException("boom", new TaskId(0, 1))));
            clock.now = clock.now.plusSeconds(30);
            if (i < 2) {
                assertEquals(List.of(), replacements.failing(), "two replacements are within the limit");
            }
        }
        List<Readiness.FailingThreads> failing = replacements.failing();
        assertEquals(1, failing.size());
        Readiness.FailingThreads f = failing.get(0);
        assertEquals("responder", f.application());
        assertEquals(3, f.replacements());
        assertEquals("0_1", f.task());
        assertEquals("search.requests", f.topic());
        assertEquals(1, f.partition());
        assertEquals(44, f.offset());
        assertTrue(f.error().contains("registry down"), f.error());
        assertEquals(3.0, metrics.get("clipstream.stream.thread.replacements").tag("application", "responder").counter().count());
        assertEquals(1.0, metrics.get("clipstream.stream.threads.failing").tag("application", "responder").gauge().value());

        clock.now = clock.now.plus(Duration.ofMinutes(6));
        assertEquals(List.of(), replacements.failing(), "quiet for a window: healthy again");
        assertEquals(3, replacements.total("responder"), "the counter keeps the total");
    }

    @Test
    void withoutANotedRecordTheTaskComesFromTheException() {
        replacements.close();
        replacements.replace("index", "app-index", new StreamsException("Error encountered sending record to topic x",
                new TaskId(1, 3)));
        replacements.replace("index", "app-index", new RuntimeException("again"));
        replacements.replace("index", "app-index", new RuntimeException("and again", new IllegalArgumentException("why")));
        Readiness.FailingThreads f = replacements.failing().get(0);
        assertEquals(null, f.task());
        assertEquals(null, f.topic());
        assertEquals("RuntimeException: and again <- IllegalArgumentException: why", f.error());
    }
}
