package io.clipstream.topology;

import io.clipstream.encoders.EncodingException;
import io.clipstream.serde.RegistryFailures;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.KeyValue;
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
import java.util.ArrayList;
import java.util.List;

/**
 * The embedder's core: records wait in a changelogged buffer (so a crash loses nothing and, under
 * exactly-once, embeds nothing twice) until {@link BatchSettings#size()} are there or the
 * wall-clock punctuator fires; then each is parsed and prepared on its own, so that one bad record
 * goes to the dead-letter topic alone, and the good ones are embedded in one model call.
 * Tombstones pass straight through and cancel a buffered version of the same id.
 *
 * @param <E> the parsed event
 * @param <P> the model input prepared from it
 */
abstract class BatchingEmbedProcessor<E, P> implements Processor<String, byte[], String, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(BatchingEmbedProcessor.class);

    private final String bufferStore;
    private final BatchSettings batch;
    private final String vectorSink;
    private final String deadLetterSink;

    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, byte[]> buffer;
    private int buffered;
    private Sensor deadLetters;

    /** Metric group {@code stream-clipstream-metrics}: records sent to the dead-letter topic, rate and total. */
    static final String METRIC_SCOPE = "clipstream";

    BatchingEmbedProcessor(String bufferStore, BatchSettings batch, String vectorSink, String deadLetterSink) {
        this.bufferStore = bufferStore;
        this.batch = batch;
        this.vectorSink = vectorSink;
        this.deadLetterSink = deadLetterSink;
    }

    /** Deserialises and validates the value; throws for anything that cannot be indexed. */
    abstract E parse(String key, byte[] value);

    /** Turns a valid event into model input (decode, tokenise); throws {@link EncodingException}. */
    abstract P prepare(String key, E event);

    /** One model call for the whole list; one vector per input, same order. */
    abstract float[][] embed(List<P> inputs);

    /** The record to publish for one embedded event. */
    abstract Object vectorRecord(String key, E event, P input, float[] vector);

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

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        // One sensor per task, so tasks sharing a stream thread never register the same metric;
        // exported with every Kafka Streams metric on /metrics (kafka_stream_clipstream_dead_letters_total).
        this.deadLetters = context.metrics().addRateTotalSensor(METRIC_SCOPE, bufferStore + "-" + context.taskId(),
                "dead-letters", Sensor.RecordingLevel.INFO);
        this.buffer = context.getStateStore(bufferStore);
        try (KeyValueIterator<String, byte[]> all = buffer.all()) {
            while (all.hasNext()) {
                all.next();
                buffered++;
            }
        }
        context.schedule(batch.maxWait(), PunctuationType.WALL_CLOCK_TIME, now -> flush());
    }

    @Override
    public void close() {
        // The task is closing or moving to another instance: its sensor goes with it.
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
        if (record.value() == null) {
            if (buffer.delete(record.key()) != null) {
                buffered--;
            }
            context.forward(new Record<String, Object>(record.key(), null, record.timestamp(), record.headers()), vectorSink);
            afterTombstone(record);
            return;
        }
        PendingItem pending = new PendingItem(source.topic(), source.partition(), source.offset(), record.timestamp(),
                record.key().getBytes(StandardCharsets.UTF_8), record.value());
        if (buffer.get(record.key()) == null) {
            buffered++;
        }
        buffer.put(record.key(), pending.toBytes());
        if (buffered >= batch.size()) {
            flush();
        }
    }

    private record Ready<E, P>(String key, PendingItem item, E event, P input) {
    }

    void flush() {
        if (buffered == 0) {
            return;
        }
        List<Ready<E, P>> ready = new ArrayList<>(buffered);
        List<String> done = new ArrayList<>(buffered);
        try (KeyValueIterator<String, byte[]> all = buffer.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> entry = all.next();
                done.add(entry.key);
                PendingItem item = PendingItem.fromBytes(entry.value);
                try {
                    E event = parse(entry.key, item.value());
                    ready.add(new Ready<>(entry.key, item, event, prepare(entry.key, event)));
                } catch (EncodingException e) {
                    deadLetter(item, e.reason().name(), e.getMessage());
                } catch (InvalidEventException e) {
                    deadLetter(item, e.code(), e.getMessage());
                } catch (RuntimeException e) {
                    RegistryFailures.rethrowIfTransient(e);
                    deadLetter(item, "INVALID_RECORD", entry.key + ": " + describe(e));
                }
            }
        }
        embedAndForward(ready);
        for (String key : done) {
            buffer.delete(key);
        }
        buffered = 0;
    }

    private void embedAndForward(List<Ready<E, P>> ready) {
        if (ready.isEmpty()) {
            return;
        }
        float[][] vectors;
        try {
            vectors = embed(ready.stream().map(Ready::input).toList());
        } catch (EncodingException e) {
            // A failure of the whole call: embed one by one so only the culprit is dead-lettered.
            LOG.warn("batch of {} failed ({}); embedding one at a time to isolate the input", ready.size(), e.getMessage());
            List<Embedded<E>> embedded = new ArrayList<>(ready.size());
            for (Ready<E, P> one : ready) {
                try {
                    embedded.add(forwardVector(one, embed(List.of(one.input()))[0]));
                } catch (EncodingException single) {
                    deadLetter(one.item(), single.reason().name(), single.getMessage());
                }
            }
            embedded(embedded);
            return;
        }
        List<Embedded<E>> embedded = new ArrayList<>(ready.size());
        for (int i = 0; i < ready.size(); i++) {
            embedded.add(forwardVector(ready.get(i), vectors[i]));
        }
        embedded(embedded);
    }

    private Embedded<E> forwardVector(Ready<E, P> one, float[] vector) {
        Object value = vectorRecord(one.key(), one.event(), one.input(), vector);
        context.forward(new Record<>(one.key(), value, one.item().timestamp()), vectorSink);
        afterVector(one.key(), one.event(), one.input(), value, one.item().timestamp());
        return new Embedded<>(one.key(), one.event(), vector, one.item().timestamp());
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
