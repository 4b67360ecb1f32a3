package io.clipstream.tools.bench;

import io.clipstream.schema.ScoredLabel;
import io.clipstream.schema.VectorRecord;
import io.clipstream.schemaregistry.SchemaRegistryClient;
import io.clipstream.serde.ConfluentAvroDeserializer;
import io.clipstream.serde.ConfluentAvroSerializer;
import io.clipstream.serde.ConfluentVectorDecoder;
import io.clipstream.serde.DecodedVector;
import io.clipstream.store.DecodedHandoff;
import io.clipstream.index.IndexedVector;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToLongFunction;

/**
 * What one vector costs on its way from the topic to the index, on one thread: the path before issue 15 (Avro's
 * generic reader into a {@link VectorRecord}, re-encoded for the store and decoded again there, the old value decoded
 * too on an update) against the path now (one read of the wire bytes into {@code float[]}, handed to the store's
 * put). Each path does the byte work Kafka Streams does around it (the store's timestamp prefix) so the figures are
 * per put, not per call of a decoder.
 */
public final class DecodeBenchmark {

    /** One measured path: CPU microseconds and records per second, on one thread. */
    public record Row(String path, double microsPerRecord, double recordsPerSecond) {
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final String TOPIC = "vectors.image";
    private static final long TIMESTAMP = 1_700_000_000_000L;

    private final ConfluentAvroSerializer<VectorRecord> serializer;
    private final ConfluentAvroDeserializer<VectorRecord> deserializer;
    private final ConfluentVectorDecoder decoder;
    private final DecodedHandoff handoff = new DecodedHandoff();
    private final double seconds;
    private long sink;

    /** @param seconds CPU seconds per path, after a warm-up of a fifth of it but at least a second */
    public DecodeBenchmark(SchemaRegistryClient registry, double seconds) {
        this.serializer = new ConfluentAvroSerializer<>(registry, VectorRecord.class, false, true);
        this.deserializer = new ConfluentAvroDeserializer<>(registry, VectorRecord.class);
        this.decoder = new ConfluentVectorDecoder(registry);
        this.seconds = seconds;
    }

    /**
     * Encodes {@code count} image vector records of {@code dimension} with tenant, category, three metadata entries and
     * five labels, as the embedder writes them, and times each path over them.
     *
     * @throws IllegalStateException if the paths do not give the index the same vectors
     */
    public List<Row> run(int count, int dimension) {
        byte[][] wire = records(count, dimension);
        for (byte[] value : wire) {
            IndexedVector before = before(value, false);
            IndexedVector now = now(value);
            if (!Arrays.equals(before.vector(), now.vector()) || !before.filterableFields().equals(now.filterableFields())) {
                throw new IllegalStateException("the paths disagree on " + before.id());
            }
        }
        List<Row> rows = new ArrayList<>();
        rows.add(row("before: decode, re-encode, decode (new item)", wire, value -> sum(before(value, false))));
        rows.add(row("before: the same on an update (+ old value)", wire, value -> sum(before(value, true))));
        rows.add(row("Avro's reader once (+ IndexedVector.from)", wire, value -> sum(IndexedVector.from(
                deserializer.deserialize(TOPIC, value)))));
        rows.add(row("now: one read into float[], handed off", wire, value -> sum(now(value))));
        return rows;
    }

    /** Keeps the JIT from removing the work. */
    public long sink() {
        return sink;
    }

    /**
     * Source deserializer and check, the table's serializer, the store's copy of the value without its timestamp,
     * and the store's decode; on an update Kafka Streams' table source also decoded the old value.
     */
    private IndexedVector before(byte[] value, boolean update) {
        VectorRecord record = deserializer.deserialize(TOPIC, value);
        if (!record.getModelId().equals("bench-model") || record.getVector().size() != record.getDimension()) {
            throw new IllegalStateException("not a bench record");
        }
        if (update) {
            sink += deserializer.deserialize(TOPIC, value).getDimension();
        }
        byte[] stored = timestamped(serializer.serialize(TOPIC, record));
        byte[] copy = Arrays.copyOfRange(stored, Long.BYTES, stored.length);
        return IndexedVector.from(deserializer.deserialize(TOPIC, copy));
    }

    /** Source deserializer's one decode and check, the serializer's offer, and the store's take of it. */
    private IndexedVector now(byte[] value) {
        DecodedVector decoded = decoder.decode(TOPIC, value);
        if (!decoded.modelId().equals("bench-model") || decoded.indexed().vector().length != decoded.declaredDimension()) {
            throw new IllegalStateException("not a bench record");
        }
        handoff.offer(value, decoded.indexed());
        byte[] stored = timestamped(value);
        IndexedVector taken = handoff.take(stored, Long.BYTES);
        if (taken == null) {
            throw new IllegalStateException("the handoff missed");
        }
        return taken;
    }

    /** The store's value format: an 8-byte timestamp, then the record (Kafka Streams' ValueAndTimestampSerializer). */
    private static byte[] timestamped(byte[] value) {
        return ByteBuffer.allocate(Long.BYTES + value.length).putLong(TIMESTAMP).put(value).array();
    }

    private static long sum(IndexedVector vector) {
        return Float.floatToRawIntBits(vector.vector()[vector.vector().length - 1]) + vector.filterableFields().size();
    }

    private byte[][] records(int count, int dimension) {
        Random random = new Random(15);
        byte[][] wire = new byte[count][];
        for (int i = 0; i < count; i++) {
            List<Float> vector = new ArrayList<>(dimension);
            for (float component : FloatRows.randomUnit(random, dimension)) {
                vector.add(component);
            }
            List<ScoredLabel> labels = new ArrayList<>();
            for (int l = 0; l < 5; l++) {
                labels.add(ScoredLabel.newBuilder().setLabel("label-" + random.nextInt(1_000)).setScore(random.nextFloat()).build());
            }
            VectorRecord record = VectorRecord.newBuilder()
                    .setId("image-" + i)
                    .setModality(io.clipstream.schema.Modality.IMAGE)
                    .setModelId("bench-model")
                    .setDimension(dimension)
                    .setVector(vector)
                    .setTenant("tenant-" + (i % 10))
                    .setCategory("category-" + (i % 7))
                    .setMetadata(Map.of("source", "bench", "camera", "cam-" + (i % 13), "batch", Integer.toString(i / 100)))
                    .setImageUrl("https://images.example.com/" + i + ".jpg")
                    .setEmbeddedAtMs(TIMESTAMP + i)
                    .setLabels(labels)
                    .build();
            wire[i] = serializer.serialize(TOPIC, record);
        }
        return wire;
    }

    private Row row(String path, byte[][] wire, ToLongFunction<byte[]> perRecord) {
        long warmUntil = System.nanoTime() + (long) (Math.max(1.0, seconds / 5) * 1e9);
        int next = 0;
        do {
            sink += perRecord.applyAsLong(wire[next]);
            next = (next + 1) % wire.length;
        } while (System.nanoTime() < warmUntil);
        long done = 0;
        long start = THREADS.getCurrentThreadCpuTime();
        long budget = (long) (seconds * 1e9);
        long elapsed;
        do {
            // Check the clock every 256 records: reading a thread's CPU time costs about a microsecond.
            for (int i = 0; i < 256; i++) {
                sink += perRecord.applyAsLong(wire[next]);
                next = (next + 1) % wire.length;
            }
            done += 256;
            elapsed = THREADS.getCurrentThreadCpuTime() - start;
        } while (elapsed < budget);
        double micros = elapsed / 1e3 / done;
        return new Row(path, micros, 1e6 / micros);
    }
}
