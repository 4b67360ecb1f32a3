package io.clipstream.serde;

import io.clipstream.schema.Modality;
import io.clipstream.schema.ScoredLabel;
import io.clipstream.schema.VectorRecord;
import io.clipstream.index.IndexedVector;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The index's reader of vector records against Avro's own: the hand-written reader of the current layout must give
 * exactly what Avro's resolving reader gives, for every record and every way the spec allows writing it; other writer
 * schemas must take Avro's path; and bytes that are not a record must be refused with a SerializationException and
 * nothing else.
 */
class ConfluentVectorDecoderTest {

    private static final String TOPIC = "vectors.image";
    private static final String SUBJECT = ConfluentWireFormat.subject(TOPIC, false);
    private static final String[] WORDS = {"", "a", "acme", "cats", "tenant", "category", "label:cat", "é", "日本語",
            "\uD83D\uDE00 emoji", "x".repeat(200)};

    private final MemorySchemaRegistry registry = new MemorySchemaRegistry();
    private final ConfluentVectorDecoder decoder = new ConfluentVectorDecoder(registry);
    private final ConfluentAvroDeserializer<VectorRecord> avro = new ConfluentAvroDeserializer<>(registry, VectorRecord.class);
    private final ConfluentAvroSerializer<VectorRecord> serializer =
            new ConfluentAvroSerializer<>(registry, VectorRecord.class, false, true);

    @Test
    void readsEveryRecordExactlyAsAvroDoes() throws IOException {
        Random random = new Random(7);
        int currentId = registry.register(SUBJECT, VectorRecord.getClassSchema());
        EncoderFactory smallBlocks = new EncoderFactory().configureBlockSize(64);
        int multiBlock = 0;
        for (int i = 0; i < 600; i++) {
            VectorRecord record = randomRecord(random, i);
            byte[] standard = serializer.serialize(TOPIC, record);
            byte[] blocking = wire(currentId, encoder -> new SpecificDatumWriter<>(VectorRecord.class).write(record, encoder),
                    smallBlocks::blockingBinaryEncoder);
            byte[] positiveBlocks = wire(currentId, encoder -> writeInBlocks(record, encoder, 1 + random.nextInt(5)),
                    (out, reuse) -> EncoderFactory.get().binaryEncoder(out, reuse));
            if (!Arrays.equals(standard, blocking)) {
                multiBlock++;
            }
            for (byte[] bytes : List.of(standard, blocking, positiveBlocks)) {
                assertSameView(DecodedVector.of(avro.deserialize(TOPIC, bytes)), decoder.decode(TOPIC, bytes), record.getId());
                assertEquals(record, decoder.record(TOPIC, bytes));
            }
        }
        assertTrue(decoder.hasReaderLayout(TOPIC, currentId), "the current schema is read by the hand-written reader");
        assertTrue(multiBlock > 100, "Avro's blocking encoder wrote arrays and maps in several blocks: " + multiBlock);
    }

    @Test
    void theHandWrittenReaderIsWrittenForTheCurrentSchema() {
        assertEquals(SchemaNormalization.toParsingForm(VectorRecord.getClassSchema()), VectorRecordBinaryReader.LAYOUT,
                "VectorRecord.avsc changed: change VectorRecordBinaryReader to read the new layout, then its LAYOUT");
    }

    @Test
    void decidesEachWriterSchemaOnceAndTombstonesReadAsNull() {
        int currentId = registry.register(SUBJECT, VectorRecord.getClassSchema());
        byte[] bytes = serializer.serialize(TOPIC, randomRecord(new Random(1), 1));
        int lookups = registry.lookupsById();
        for (int i = 0; i < 10; i++) {
            decoder.decode(TOPIC, bytes);
        }
        assertEquals(lookups + 1, registry.lookupsById(), "one registry lookup for the schema id, then the cache");
        assertTrue(decoder.hasReaderLayout(TOPIC, currentId));
        assertNull(decoder.decode(TOPIC, null));
        assertNull(decoder.decode(TOPIC, new byte[0]));
    }

    @Test
    void aWriterSchemaDifferingOnlyInDocsAndDefaultsHasTheSameLayout() {
        String json = VectorRecord.getClassSchema().toString()
                .replace("\"L2-normalised embedding; the score is the dot product.\"", "\"another doc\"")
                .replace("\"name\":\"embeddedAtMs\",\"type\":\"long\",\"default\":0", "\"name\":\"embeddedAtMs\",\"type\":\"long\",\"default\":5");
        Schema relabelled = new Schema.Parser().parse(json);
        assertNotEquals(VectorRecord.getClassSchema(), relabelled);
        int id = registry.register(SUBJECT, relabelled);
        VectorRecord record = randomRecord(new Random(3), 3);
        byte[] bytes = wire(id, encoder -> new GenericDatumWriter<GenericRecord>(relabelled).write(
                copy(record, relabelled), encoder), (out, reuse) -> EncoderFactory.get().binaryEncoder(out, reuse));
        assertTrue(decoder.hasReaderLayout(TOPIC, id));
        assertSameView(DecodedVector.of(record), decoder.decode(TOPIC, bytes), record.getId());
    }

    @Test
    void olderAndReorderedWriterSchemasGoThroughAvrosResolution() {
        Random random = new Random(11);
        Schema older = olderSchema();
        Schema reordered = reorderedSchema();
        int olderId = registry.register(SUBJECT, older);
        int reorderedId = registry.register(SUBJECT, reordered);
        for (int i = 0; i < 100; i++) {
            VectorRecord record = randomRecord(random, i);
            byte[] old = wire(olderId, encoder -> new GenericDatumWriter<GenericRecord>(older).write(copy(record, older), encoder),
                    (out, reuse) -> EncoderFactory.get().binaryEncoder(out, reuse));
            DecodedVector decoded = decoder.decode(TOPIC, old);
            assertSameView(DecodedVector.of(avro.deserialize(TOPIC, old)), decoded, record.getId());
            assertEquals(List.of(), decoded.indexed().labels(), "the older schema has no labels: the default");
            assertNull(decoded.indexed().text());
            assertArrayEquals(floats(record.getVector()), decoded.indexed().vector());

            byte[] moved = wire(reorderedId, encoder -> new GenericDatumWriter<GenericRecord>(reordered).write(
                    copy(record, reordered), encoder), (out, reuse) -> EncoderFactory.get().binaryEncoder(out, reuse));
            assertSameView(DecodedVector.of(record), decoder.decode(TOPIC, moved), record.getId());
        }
        assertFalse(decoder.hasReaderLayout(TOPIC, olderId));
        assertFalse(decoder.hasReaderLayout(TOPIC, reorderedId));
    }

    @Test
    void anIncompatibleOrUnknownWriterSchemaIsRefusedAsTheRecordsFault() {
        Schema incompatible = new Schema.Parser().parse(VectorRecord.getClassSchema().toString()
                .replace("{\"name\":\"dimension\",\"type\":\"int\"}", "{\"name\":\"dimension\",\"type\":\"string\"}"));
        int id = registry.register(SUBJECT, incompatible);
        byte[] bytes = header(id, new byte[]{2, 'a'});
        SerializationException refused = assertThrows(SerializationException.class, () -> decoder.decode(TOPIC, bytes));
        assertTrue(refused.getMessage().contains("cannot read"), refused.getMessage());
        assertFalse(RegistryFailures.isTransient(refused));

        SerializationException unknown = assertThrows(SerializationException.class,
                () -> decoder.decode(TOPIC, header(999, new byte[]{0})));
        assertTrue(unknown.getMessage().contains("schema id 999"), unknown.getMessage());
        assertFalse(RegistryFailures.isTransient(unknown));
    }

    @Test
    void aRegistryOutageIsTransientAndNotRemembered() {
        int id = registry.register(SUBJECT, VectorRecord.getClassSchema());
        VectorRecord record = randomRecord(new Random(5), 5);
        byte[] bytes = serializer.serialize(TOPIC, record);
        registry.unreachable(true);
        SerializationException outage = assertThrows(SerializationException.class, () -> decoder.decode(TOPIC, bytes));
        assertTrue(RegistryFailures.isTransient(outage), outage.toString());
        assertTrue(outage.getMessage().contains("schema id " + id), outage.getMessage());
        registry.unreachable(false);
        assertSameView(DecodedVector.of(record), decoder.decode(TOPIC, bytes), record.getId());
    }

    @Test
    void truncatedPaddedAndForeignBytesAreRefusedWithTheReason() {
        registry.register(SUBJECT, VectorRecord.getClassSchema());
        Random random = new Random(13);
        for (int i = 0; i < 40; i++) {
            byte[] bytes = serializer.serialize(TOPIC, randomRecord(random, i));
            for (int length = 1; length < bytes.length; length++) {
                byte[] cut = Arrays.copyOf(bytes, length);
                SerializationException refused = assertThrows(SerializationException.class, () -> decoder.decode(TOPIC, cut));
                String expected = length < ConfluentWireFormat.HEADER_SIZE ? "too short for the Confluent wire format"
                        : "could not be decoded as io.clipstream.schema.VectorRecord";
                assertTrue(refused.getMessage().contains(expected), length + " of " + bytes.length + ": " + refused.getMessage());
            }
            byte[] padded = Arrays.copyOf(bytes, bytes.length + 1);
            SerializationException leftOver = assertThrows(SerializationException.class, () -> decoder.decode(TOPIC, padded));
            assertTrue(leftOver.getMessage().contains("left over"), leftOver.getMessage());
        }
        SerializationException foreign = assertThrows(SerializationException.class,
                () -> decoder.decode(TOPIC, "junk".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertTrue(foreign.getMessage().contains("not in the Confluent wire format"), foreign.getMessage());
    }

    @Test
    void corruptBytesAreRefusedOrReadExactlyAsAvroReadsThem() {
        registry.register(SUBJECT, VectorRecord.getClassSchema());
        Random random = new Random(17);
        int refused = 0;
        int accepted = 0;
        for (int i = 0; i < 3_000; i++) {
            byte[] bytes = serializer.serialize(TOPIC, randomRecord(random, i));
            int at = ConfluentWireFormat.HEADER_SIZE + random.nextInt(bytes.length - ConfluentWireFormat.HEADER_SIZE);
            bytes[at] = (byte) random.nextInt(256);
            DecodedVector decoded;
            try {
                decoded = decoder.decode(TOPIC, bytes);
            } catch (SerializationException e) {
                assertTrue(e.getMessage().contains("could not be decoded as io.clipstream.schema.VectorRecord"), e.getMessage());
                refused++;
                continue;
            }
            // Read as a record by the hand-written reader: then it is one, and Avro must read the same.
            assertSameView(DecodedVector.of(avro.deserialize(TOPIC, bytes)), decoded, "corrupted at byte " + at);
            accepted++;
        }
        assertTrue(refused > 100 && accepted > 100, "refused " + refused + ", accepted " + accepted);
    }

    // ---------------------------------------------------------------- records and encodings

    static VectorRecord randomRecord(Random random, int i) {
        int length = switch (random.nextInt(6)) {
            case 0 -> 0;
            case 1 -> 512;
            default -> random.nextInt(40);
        };
        List<Float> vector = new ArrayList<>(length);
        for (int d = 0; d < length; d++) {
            vector.add(switch (random.nextInt(50)) {
                case 0 -> Float.NaN;
                case 1 -> Float.NEGATIVE_INFINITY;
                case 2 -> -0f;
                default -> (float) random.nextGaussian();
            });
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (int m = random.nextInt(6); m > 0; m--) {
            metadata.put(word(random) + m, word(random));
        }
        List<ScoredLabel> labels = new ArrayList<>();
        for (int l = random.nextInt(5); l > 0; l--) {
            labels.add(ScoredLabel.newBuilder().setLabel(word(random)).setScore(random.nextFloat()).build());
        }
        return VectorRecord.newBuilder()
                .setId("item-" + i + word(random))
                .setModality(random.nextBoolean() ? Modality.IMAGE : Modality.TEXT)
                .setModelId(random.nextInt(10) == 0 ? "" : "model-" + random.nextInt(3))
                .setDimension(random.nextInt(10) == 0 ? -random.nextInt(1_000_000) : length)
                .setVector(vector)
                .setTenant(random.nextBoolean() ? null : word(random))
                .setCategory(random.nextBoolean() ? null : word(random))
                .setMetadata(metadata)
                .setText(random.nextBoolean() ? null : word(random))
                .setImageUrl(random.nextBoolean() ? null : "https://example.com/" + word(random))
                .setImageId(random.nextBoolean() ? null : word(random))
                .setTruncated(random.nextBoolean())
                .setEmbeddedAtMs(random.nextLong())
                .setLabels(labels)
                .build();
    }

    private static String word(Random random) {
        return WORDS[random.nextInt(WORDS.length)];
    }

    /** Every field as the spec allows but Avro's encoders never write: arrays and maps in blocks of {@code items}. */
    private static void writeInBlocks(VectorRecord record, Encoder out, int items) throws IOException {
        out.writeString(record.getId());
        out.writeEnum(record.getModality().ordinal());
        out.writeString(record.getModelId());
        out.writeInt(record.getDimension());
        out.writeArrayStart();
        writeBlocks(out, record.getVector(), items, (encoder, component) -> encoder.writeFloat(component));
        out.writeArrayEnd();
        writeOptional(out, record.getTenant());
        writeOptional(out, record.getCategory());
        out.writeMapStart();
        writeBlocks(out, new ArrayList<>(record.getMetadata().entrySet()), items, (encoder, entry) -> {
            encoder.writeString(entry.getKey());
            encoder.writeString(entry.getValue());
        });
        out.writeMapEnd();
        writeOptional(out, record.getText());
        writeOptional(out, record.getImageUrl());
        writeOptional(out, record.getImageId());
        out.writeBoolean(record.getTruncated());
        out.writeLong(record.getEmbeddedAtMs());
        out.writeArrayStart();
        writeBlocks(out, record.getLabels(), items, (encoder, label) -> {
            encoder.writeString(label.getLabel());
            encoder.writeFloat(label.getScore());
        });
        out.writeArrayEnd();
    }

    private interface ItemWriter<T> {
        void write(Encoder out, T item) throws IOException;
    }

    private static <T> void writeBlocks(Encoder out, List<T> values, int perBlock, ItemWriter<T> writer) throws IOException {
        for (int i = 0; i < values.size(); i++) {
            if (i % perBlock == 0) {
                out.setItemCount(Math.min(perBlock, values.size() - i));
            }
            out.startItem();
            writer.write(out, values.get(i));
        }
    }

    private static void writeOptional(Encoder out, String value) throws IOException {
        out.writeIndex(value == null ? 0 : 1);
        if (value != null) {
            out.writeString(value);
        }
    }

    private interface Body {
        void writeTo(Encoder encoder) throws IOException;
    }

    private interface Encoders {
        BinaryEncoder open(ByteArrayOutputStream out, BinaryEncoder reuse);
    }

    private static byte[] wire(int schemaId, Body body, Encoders encoders) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            BinaryEncoder encoder = encoders.open(out, null);
            body.writeTo(encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return header(schemaId, out.toByteArray());
    }

    private static byte[] header(int schemaId, byte[] body) {
        byte[] bytes = new byte[ConfluentWireFormat.HEADER_SIZE + body.length];
        ConfluentWireFormat.writeHeader(bytes, schemaId);
        System.arraycopy(body, 0, bytes, ConfluentWireFormat.HEADER_SIZE, body.length);
        return bytes;
    }

    /** VectorRecord as it was before captions, image references, truncation, embedding time and labels. */
    private static Schema olderSchema() {
        return new Schema.Parser().parse("""
                {"type": "record", "name": "VectorRecord", "namespace": "io.clipstream.schema", "fields": [
                  {"name": "id", "type": "string"},
                  {"name": "modality", "type": %s},
                  {"name": "modelId", "type": "string"},
                  {"name": "dimension", "type": "int"},
                  {"name": "vector", "type": {"type": "array", "items": "float"}},
                  {"name": "tenant", "type": ["null", "string"], "default": null},
                  {"name": "category", "type": ["null", "string"], "default": null},
                  {"name": "metadata", "type": {"type": "map", "values": "string"}, "default": {}}]}
                """.formatted(Modality.getClassSchema()));
    }

    /** The current fields in another order: the same record, another binary layout. */
    private static Schema reorderedSchema() {
        Schema current = VectorRecord.getClassSchema();
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field field : current.getFields()) {
            fields.add(new Schema.Field(field, field.schema()));
        }
        Schema.Field tenant = fields.stream().filter(f -> f.name().equals("tenant")).findFirst().orElseThrow();
        fields.remove(tenant);
        fields.add(tenant);
        return Schema.createRecord(current.getName(), null, current.getNamespace(), false, fields);
    }

    private static GenericRecord copy(VectorRecord record, Schema schema) {
        GenericData.Record copy = new GenericData.Record(schema);
        for (Schema.Field field : schema.getFields()) {
            Object value = record.get(field.name());
            if (value instanceof Modality modality) {
                value = new GenericData.EnumSymbol(field.schema(), modality.name());
            } else if (field.name().equals("labels")) {
                Schema label = field.schema().getElementType();
                List<GenericRecord> labels = new ArrayList<>();
                for (ScoredLabel scored : record.getLabels()) {
                    GenericData.Record generic = new GenericData.Record(label);
                    generic.put("label", scored.getLabel());
                    generic.put("score", scored.getScore());
                    labels.add(generic);
                }
                value = labels;
            }
            copy.put(field.name(), value);
        }
        return copy;
    }

    private static float[] floats(List<Float> values) {
        float[] array = new float[values.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = values.get(i);
        }
        return array;
    }

    static void assertSameView(DecodedVector expected, DecodedVector actual, String what) {
        assertEquals(expected.modelId(), actual.modelId(), what);
        assertEquals(expected.declaredDimension(), actual.declaredDimension(), what);
        IndexedVector e = expected.indexed();
        IndexedVector a = actual.indexed();
        assertEquals(e.id(), a.id(), what);
        assertEquals(e.modality(), a.modality(), what);
        assertArrayEquals(rawBits(e.vector()), rawBits(a.vector()), what);
        assertEquals(e.filterableFields(), a.filterableFields(), what);
        assertEquals(e.metadata(), a.metadata(), what);
        assertEquals(e.text(), a.text(), what);
        assertEquals(e.labels(), a.labels(), what);
    }

    private static int[] rawBits(float[] vector) {
        int[] bits = new int[vector.length];
        for (int i = 0; i < bits.length; i++) {
            bits[i] = Float.floatToRawIntBits(vector[i]);
        }
        return bits;
    }
}
