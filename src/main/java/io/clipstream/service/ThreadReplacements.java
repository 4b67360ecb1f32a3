package io.clipstream.service;

import io.clipstream.http.HealthSettings;
import io.clipstream.http.Readiness;
import io.clipstream.topology.FailedRecords;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The stream threads Kafka Streams replaced after they died, per application. A replaced thread
 * retries from the last commit, which heals a transient failure; a thread replaced more than
 * {@link HealthSettings#maxReplacements()} times within {@link HealthSettings#window()} is stuck
 * (a record it cannot get past, an outage outlasting retries), and readiness says so, naming the
 * task and the input record where a handler or the exception tells them. Every replacement is
 * counted ({@code clipstream_stream_thread_replacements_total}). Before each replacement the dying
 * thread waits a little, doubling with each recent failure up to {@link #MAX_PAUSE}, so that a
 * thread that dies at once does not spin through rebalances.
 */
public final class ThreadReplacements implements AutoCloseable {

    static final Duration MAX_PAUSE = Duration.ofSeconds(10);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(250);
    private static final int KEPT_PER_APPLICATION = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(ThreadReplacements.class);

    /** One replacement: when, and where the thread failed. */
    private record Replacement(Instant at, String task, String topic, int partition, long offset, String error) {
    }

    private final HealthSettings settings;
    private final FailedRecords records;
    private final MeterRegistry metrics;
    private final Clock clock;
    private final Map<String, Deque<Replacement>> recent = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final CountDownLatch closed = new CountDownLatch(1);

    public ThreadReplacements(HealthSettings settings, FailedRecords records, MeterRegistry metrics, Clock clock) {
        this.settings = settings;
        this.records = records;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * The uncaught-exception handler's answer for {@code application} (whose Kafka Streams
     * application.id is {@code applicationId}): counted, paused, replaced.
     */
    public StreamThreadExceptionResponse replace(String application, String applicationId, Throwable failure) {
        Replacement replacement = describe(applicationId, failure);
        int inWindow = add(application, replacement);
        counter(application).increment();
        LOG.error("{} stream thread failed ({} replacements in the last {} min){}; replacing it", application, inWindow,
                settings.window().toMinutes(), where(replacement), failure);
        pause(inWindow);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /** Applications over the limit, with their last failure. */
    public List<Readiness.FailingThreads> failing() {
        List<Readiness.FailingThreads> failing = new ArrayList<>();
        recent.forEach((application, replacements) -> {
            synchronized (replacements) {
                prune(replacements);
                if (replacements.size() > settings.maxReplacements()) {
                    Replacement last = replacements.peekLast();
                    failing.add(new Readiness.FailingThreads(application, replacements.size(), settings.window(), last.task(),
                            last.topic(), last.partition(), last.offset(), last.error()));
                }
            }
        });
        return failing;
    }

    /** Replacements of {@code application} since start. */
    public long total(String application) {
        Counter counter = counters.get(application);
        return counter == null ? 0 : (long) counter.count();
    }

    /** Registers the meters of an application before its first failure, so that dashboards see a zero. */
    public void watch(String application) {
        counter(application);
        Gauge.builder("clipstream.stream.threads.failing", this,
                        self -> self.failing().stream().anyMatch(f -> f.application().equals(application)) ? 1 : 0)
                .tag("application", application)
                .description("1 while the application's stream threads are replaced more than health.thread.replacements.max "
                        + "times within health.thread.replacements.window.ms")
                .register(metrics);
    }

    /** Wakes threads waiting to be replaced, so that closing the service does not wait out their pause. */
    @Override
    public void close() {
        closed.countDown();
    }

    private Counter counter(String application) {
        return counters.computeIfAbsent(application, name -> Counter.builder("clipstream.stream.thread.replacements")
                .tag("application", name).description("stream threads that died and were replaced").register(metrics));
    }

    private int add(String application, Replacement replacement) {
        Deque<Replacement> replacements = recent.computeIfAbsent(application, a -> new ArrayDeque<>());
        synchronized (replacements) {
            replacements.addLast(replacement);
            while (replacements.size() > KEPT_PER_APPLICATION) {
                replacements.removeFirst();
            }
            prune(replacements);
            return replacements.size();
        }
    }

    private void prune(Deque<Replacement> replacements) {
        Instant since = clock.instant().minus(settings.window());
        while (!replacements.isEmpty() && replacements.peekFirst().at().isBefore(since)) {
            replacements.removeFirst();
        }
    }

    private Replacement describe(String applicationId, Throwable failure) {
        String task = failure instanceof StreamsException streams && streams.taskId().isPresent()
                ? streams.taskId().get().toString() : null;
        String error = chain(failure);
        var noted = records.take(applicationId);
        if (noted.isPresent() && (task == null || task.equals(noted.get().task()))) {
            FailedRecords.FailedRecord record = noted.get();
            return new Replacement(clock.instant(), record.task(), record.topic(), record.partition(), record.offset(),
                    record.reason().isEmpty() ? error : record.reason());
        }
        return new Replacement(clock.instant(), task, null, -1, -1, error);
    }

    private void pause(int inWindow) {
        long millis = Math.min(MAX_PAUSE.toMillis(), FIRST_PAUSE.toMillis() << Math.min(20, Math.max(0, inWindow - 1)));
        try {
            closed.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String where(Replacement replacement) {
        if (replacement.topic() != null) {
            return " on task " + replacement.task() + " at " + replacement.topic() + "-" + replacement.partition() + "@"
                    + replacement.offset();
        }
        return replacement.task() == null ? "" : " on task " + replacement.task();
    }

    /** The failure and its causes, one message each, as the operator reads them. */
    static String chain(Throwable failure) {
        StringBuilder out = new StringBuilder();
        for (Throwable cause = failure; cause != null && out.length() < 1_000; cause = cause.getCause()) {
            if (!out.isEmpty()) {
                out.append(" <- ");
            }
            out.append(cause.getClass().getSimpleName());
            if (cause.getMessage() != null) {
                out.append(": ").append(cause.getMessage());
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return out.length() > 1_000 ? out.substring(0, 1_000) + "..." : out.toString();
    }
}
