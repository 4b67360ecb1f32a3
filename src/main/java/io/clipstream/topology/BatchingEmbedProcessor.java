package io.clipstream.topology;

import io.clipstream.common.InvalidEventException;
import io.clipstream.common.EncodingException;
import io.clipstream.serde.RegistryFailures;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;

/**
 * The embedder's core. Records wait in a changelogged buffer (so a crash loses nothing and, under
 * exactly-once, embeds nothing twice) until {@link BatchSettings#size()} are there or the
 * wall-clock punctuator fires; then they are sealed into a batch. Each record's preparation (parse,
 * fetch, decode, preprocess; tokenise) starts on the preparation pool the moment it is buffered, and
 * one bad record goes to the dead-letter topic alone; a sealed batch's good records are embedded in
 * one model call once all of them are prepared.
 *
 * <p>Everything a batch sends (vectors, dead letters, what the subclass adds) and the deletion of
 * its records from the buffer happen together on the stream thread, in one processing step or
 * punctuation, so in one transaction: after a crash the buffer is restored and its records are
 * prepared again, and nothing is lost or doubled. Batches go out in the order they were sealed,
 * each in key order (the buffer's order), as the serial embedder sent them. Sealed batches holding
 * up to {@link BatchSettings#inFlight()} x {@link BatchSettings#size()} records may still be
 * preparing or in the model while the next one fills (counted in records, so batches the wall
 * clock sealed small do not stall the task early); with 0 each batch goes out in the step that
 * sealed it.
 *
 * <p>Tombstones pass straight through. A tombstone or a newer version of an id cancels the buffered
 * version, in whatever stage it is: a cancelled version is never sent, so a late preparation cannot
 * resurrect a deleted item.
 *
 * @param <E> the parsed event
 * @param <P> the model input prepared from it
 */
abstract class BatchingEmbedProcessor<E, P> implements Processor<String, byte[], String, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(BatchingEmbedProcessor.class);

    /** How often finished batches are looked for between flushes, when batches may be in flight. */
    static final Duration DRAIN_INTERVAL = Duration.ofMillis(10);

    /** Metric group {@code stream-clipstream-metrics}: records sent to the dead-letter topic, rate and total. */
    static final String METRIC_SCOPE = "clipstream";

    /** The buffer store's order: Kafka's String serde writes UTF-8, RocksDB compares bytes unsigned. */
    private static final Comparator<Slot<?, ?>> BUFFER_ORDER = (a, b) -> Arrays.compareUnsigned(a.item.key(), b.item.key());

    private final String bufferStore;
    private final BatchSettings batch;
    private final String vectorSink;
    private final String deadLetterSink;
    private final Executor preparation;
    private final ModelStage<P> model;
    /** The serial embedder prepares a batch's records when it seals it, as it once did when it flushed. */
    private final boolean prepareWhenSealed;
    /** Preparations started and not finished, cancelled ones included: what this task may hold in memory. */
    private final Semaphore preparing;

    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, byte[]> buffer;
    private Sensor deadLetters;
    /** The batch being filled. */
    private final Map<String, Slot<E, P>> open = new HashMap<>();
    /** Each buffered id's current version, open or sealed. */
    private final Map<String, Slot<E, P>> current = new HashMap<>();
    /** Sealed batches not yet sent, oldest first. */
    private final Deque<Batch<E, P>> sealed = new ArrayDeque<>();
    /** Records in {@link #sealed}. */
    private int sealedRecords;

    /**
     * @param prepareWhenSealed start each record's preparation when its batch is sealed rather than when it is buffered:
     *                          with preparation on the stream thread, batches then fill as fast as records arrive
     */
    BatchingEmbedProcessor(String bufferStore, BatchSettings batch, String vectorSink, String deadLetterSink, Executor preparation,
                           ModelStage<P> model, boolean prepareWhenSealed) {
        this.bufferStore = bufferStore;
        this.batch = batch;
        this.vectorSink = vectorSink;
        this.deadLetterSink = deadLetterSink;
        this.preparation = preparation;
        this.model = model;
        this.prepareWhenSealed = prepareWhenSealed;
        this.preparing = new Semaphore((batch.inFlight() + 1) * batch.size());
    }

    /** Deserialises and validates the value; throws for anything that cannot be indexed. Runs on the preparation pool. */
    abstract E parse(String key, byte[] value);

    /** Turns a valid event into model input (decode, tokenise); throws {@link EncodingException}. Runs on the preparation pool. */
    abstract P prepare(String key, E event);

    /**
     * Model input for a parsed event, possibly later (an image by URL is fetched first); called on
     * the preparation pool right after {@link #parse}. By default {@link #prepare} there and then.
     */
    CompletableFuture<P> prepareAsync(String key, E event) {
        return CompletableFuture.completedFuture(prepare(key, event));
    }

    /** The record to publish for one embedded event. */
    abstract Object vectorRecord(String key, E event, P input, float[] vector);

    /** Called with a batch's vectors, in order, before their records are built. Nothing by default. */
    void scored(float[][] vectors) {
    }

    /**
     * After an event's vector went out: forward what belongs with it to other sinks, in the same
     * processing step (so in the same transaction under exactly-once). Nothing by default.
     */
    void afterVector(String key, E event, P input, Object vectorRecord, long timestamp) {
    }

    /** After a tombstone went out: delete what belongs with the item elsewhere. Nothing by default. */
    void afterTombstone(Record<String, byte[]> tombstone) {
    }

    /** One embedded event, as {@link #embedded} sees it. */
    record Embedded<E>(String key, E event, float[] vector, long timestamp) {
    }

    /**
     * Called once per batch, after its vectors were forwarded and in the same transaction: what it forwards through
     * {@link #context()} is committed exactly when the vectors are.
     */
    void embedded(List<Embedded<E>> items) {
    }

    ProcessorContext<String, Object> context() {
        return context;
    }

    private record Ready<E, P>(E event, P input) {
    }

    /** One buffered version of an id and its preparation, set once on the stream thread when it starts. */
    private static final class Slot<E, P> {
        final String key;
        final PendingItem item;
        CompletableFuture<Ready<E, P>> preparation;
        /** Set on the stream thread when a tombstone or a newer version replaced this one. */
        boolean cancelled;

        Slot(String key, PendingItem item) {
            this.key = key;
            this.item = item;
        }
    }

    /** The model's answer for the slots whose preparation succeeded, in the batch's order. */
    private record Embedding<E, P>(List<Slot<E, P>> prepared, ModelResult result) {
    }

    private record Batch<E, P>(List<Slot<E, P>> slots, CompletableFuture<Embedding<E, P>> embedding) {
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        // One sensor per task, so tasks sharing a stream thread never register the same metric;
        // exported with every Kafka Streams metric on /metrics (kafka_stream_clipstream_dead_letters_total).
        this.deadLetters = context.metrics().addRateTotalSensor(METRIC_SCOPE, bufferStore + "-" + context.taskId(),
                "dead-letters", Sensor.RecordingLevel.INFO);
        this.buffer = context.getStateStore(bufferStore);
        // What a crash or a move left in the buffer is prepared again; its batches are sealed at the next step.
        try (KeyValueIterator<String, byte[]> all = buffer.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> entry = all.next();
                admit(entry.key, PendingItem.fromBytes(entry.value));
            }
        }
        context.schedule(batch.maxWait(), PunctuationType.WALL_CLOCK_TIME, now -> flush());
        if (batch.inFlight() > 0) {
            context.schedule(DRAIN_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> sendFinished());
        }
    }

    @Override
    public void close() {
        // The task is closing or moving: what is in flight is dropped; its records are still in the buffer's changelog.
        open.clear();
        current.clear();
        sealed.clear();
        sealedRecords = 0;
        if (deadLetters != null) {
            context.metrics().removeSensor(deadLetters);
        }
    }

    @Override
    public void process(Record<String, byte[]> record) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        if (record.key() == null) {
            deadLetter(new DeadLetter(null, record.value(), "NO_KEY",
                    "record has no key; the key must be the item id", source.topic(), source.partition(), source.offset()),
                    record);
            return;
        }
        cancel(record.key());
        if (record.value() == null) {
            buffer.delete(record.key());
            context.forward(new Record<String, Object>(record.key(), null, record.timestamp(), record.headers()), vectorSink);
            afterTombstone(record);
        } else {
            PendingItem pending = new PendingItem(source.topic(), source.partition(), source.offset(), record.timestamp(),
                    record.key().getBytes(StandardCharsets.UTF_8), record.value());
            buffer.put(record.key(), pending.toBytes());
            admit(record.key(), pending);
            if (open.size() >= batch.size()) {
                seal();
            }
        }
        sendFinished();
        keepWithinInFlight();
    }

    /** The wall-clock flush: whatever waits is sealed, however few. */
    void flush() {
        seal();
        sendFinished();
        keepWithinInFlight();
    }

    /** A tombstone or newer version of {@code key} arrived: the buffered version, wherever it is, is not sent. */
    private void cancel(String key) {
        Slot<E, P> previous = current.remove(key);
        if (previous != null) {
            previous.cancelled = true;
            open.remove(key);
        }
    }

    /** Buffers a record's slot in the open batch and, unless preparing when sealed, starts its preparation. */
    private void admit(String key, PendingItem item) {
        Slot<E, P> slot = new Slot<>(key, item);
        if (!prepareWhenSealed) {
            start(slot);
        }
        open.put(key, slot);
        current.put(key, slot);
    }

    /** Starts preparing a slot's record, once this task has room for one more preparation in flight. */
    private void start(Slot<E, P> slot) {
        try {
            preparing.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StreamsException("interrupted while waiting for room to prepare '" + slot.key + "'", e);
        }
        CompletableFuture<Ready<E, P>> preparation;
        try {
            preparation = CompletableFuture.supplyAsync(() -> parse(slot.key, slot.item.value()), this.preparation)
                    .thenCompose(event -> prepareAsync(slot.key, event).thenApply(input -> new Ready<>(event, input)));
        } catch (RuntimeException e) {
            preparing.release();
            throw e;
        }
        preparation.whenComplete((ready, failure) -> preparing.release());
        slot.preparation = preparation;
    }

    private void seal() {
        if (open.isEmpty()) {
            return;
        }
        List<Slot<E, P>> slots = new ArrayList<>(open.values());
        open.clear();
        slots.sort(BUFFER_ORDER);
        for (Slot<E, P> slot : slots) {
            if (slot.preparation == null) {
                start(slot);
            }
        }
        for (int from = 0; from < slots.size(); from += batch.size()) {
            List<Slot<E, P>> part = List.copyOf(slots.subList(from, Math.min(slots.size(), from + batch.size())));
            sealed.add(new Batch<>(part, embedWhenPrepared(part)));
            sealedRecords += part.size();
        }
    }

    /** Once every slot's preparation has finished, the prepared ones go to the model in one call. */
    private CompletableFuture<Embedding<E, P>> embedWhenPrepared(List<Slot<E, P>> slots) {
        CompletableFuture<?>[] finished = slots.stream().map(s -> s.preparation.handle((ready, failure) -> null))
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(finished).thenCompose(all -> {
            List<Slot<E, P>> prepared = new ArrayList<>(slots.size());
            List<P> inputs = new ArrayList<>(slots.size());
            for (Slot<E, P> slot : slots) {
                if (!slot.preparation.isCompletedExceptionally()) {
                    prepared.add(slot);
                    inputs.add(slot.preparation.join().input());
                }
            }
            return model.embed(inputs).thenApply(result -> new Embedding<>(prepared, result));
        });
    }

    /** Sends the finished batches at the head of the queue; never waits. */
    private void sendFinished() {
        while (!sealed.isEmpty() && sealed.peekFirst().embedding().isDone()) {
            send(sealed.pollFirst());
        }
    }

    /** Waits for the oldest batches until no more records than allowed are in flight. */
    private void keepWithinInFlight() {
        while (!sealed.isEmpty() && sealedRecords > batch.inFlight() * batch.size()) {
            send(sealed.pollFirst());
        }
    }

    private void send(Batch<E, P> batch) {
        sealedRecords -= batch.slots().size();
        Embedding<E, P> embedding = await(batch.embedding());
        // A registry outage is not the record's fault: fail the task (nothing of this batch is sent) and retry.
        for (Slot<E, P> slot : batch.slots()) {
            if (!slot.cancelled && slot.preparation.isCompletedExceptionally()) {
                RuntimeException cause = failureOf(slot.preparation);
                if (!(cause instanceof EncodingException) && !(cause instanceof InvalidEventException)) {
                    RegistryFailures.rethrowIfTransient(cause);
                }
            }
        }
        for (Slot<E, P> slot : batch.slots()) {
            if (!slot.cancelled && slot.preparation.isCompletedExceptionally()) {
                deadLetterFailure(slot, failureOf(slot.preparation));
            }
        }
        sendVectors(embedding);
        for (Slot<E, P> slot : batch.slots()) {
            if (!slot.cancelled) {
                buffer.delete(slot.key);
                current.remove(slot.key);
            }
        }
    }

    private void sendVectors(Embedding<E, P> embedding) {
        List<Integer> live = new ArrayList<>();
        for (int i = 0; i < embedding.prepared().size(); i++) {
            if (!embedding.prepared().get(i).cancelled && embedding.result().failures()[i] == null) {
                live.add(i);
            }
        }
        float[][] vectors = new float[live.size()][];
        for (int j = 0; j < live.size(); j++) {
            vectors[j] = embedding.result().vectors()[live.get(j)];
        }
        if (vectors.length > 0) {
            scored(vectors);
        }
        List<Embedded<E>> embedded = new ArrayList<>(live.size());
        for (int i = 0; i < embedding.prepared().size(); i++) {
            Slot<E, P> slot = embedding.prepared().get(i);
            EncodingException failure = embedding.result().failures()[i];
            if (slot.cancelled) {
                continue;
            }
            if (failure != null) {
                deadLetter(slot.item, failure.reason().name(), failure.getMessage());
                continue;
            }
            Ready<E, P> ready = slot.preparation.join();
            float[] vector = embedding.result().vectors()[i];
            Object value = vectorRecord(slot.key, ready.event(), ready.input(), vector);
            context.forward(new Record<>(slot.key, value, slot.item.timestamp()), vectorSink);
            afterVector(slot.key, ready.event(), ready.input(), value, slot.item.timestamp());
            embedded.add(new Embedded<>(slot.key, ready.event(), vector, slot.item.timestamp()));
        }
        if (!embedded.isEmpty()) {
            embedded(embedded);
        }
    }

    private void deadLetterFailure(Slot<E, P> slot, RuntimeException failure) {
        if (failure instanceof EncodingException e) {
            deadLetter(slot.item, e.reason().name(), e.getMessage());
        } else if (failure instanceof InvalidEventException e) {
            deadLetter(slot.item, e.code(), e.getMessage());
        } else {
            deadLetter(slot.item, "INVALID_RECORD", slot.key + ": " + describe(failure));
        }
    }

    /** The batch's embedding; a failure of the model as a whole (not of one input) fails the task, to be retried. */
    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StreamsException("interrupted while waiting for a batch to be embedded", e);
        } catch (ExecutionException e) {
            throw unwrapped(e.getCause());
        }
    }

    /** Why a finished, failed preparation failed. */
    private static RuntimeException failureOf(CompletableFuture<?> failed) {
        try {
            failed.join();
            throw new IllegalStateException("the preparation did not fail");
        } catch (CompletionException e) {
            return unwrapped(e.getCause());
        }
    }

    /** The exception a future's work threw; an Error is rethrown as it is. */
    private static RuntimeException unwrapped(Throwable cause) {
        if (cause instanceof Error error) {
            throw error;
        }
        return cause instanceof RuntimeException runtime ? runtime : new StreamsException("embedding a batch failed", cause);
    }

    private void deadLetter(PendingItem item, String code, String reason) {
        deadLetter(new DeadLetter(item.key(), item.value(), code, reason, item.sourceTopic(), item.sourcePartition(),
                item.sourceOffset()), null);
    }

    private void deadLetter(DeadLetter letter, Record<String, byte[]> original) {
        LOG.warn("dead-lettering {}-{}@{}: {}", letter.sourceTopic(), letter.sourcePartition(), letter.sourceOffset(), letter.reason());
        deadLetters.record();
        long timestamp = original != null ? original.timestamp() : context.currentSystemTimeMs();
        String key = letter.key() == null ? null : new String(letter.key(), StandardCharsets.UTF_8);
        context.forward(new Record<String, Object>(key, letter.value(), timestamp,
                letter.headers(original == null ? new RecordHeaders() : original.headers())), deadLetterSink);
    }

    static String describe(RuntimeException e) {
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }
}
