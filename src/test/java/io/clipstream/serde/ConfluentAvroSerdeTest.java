package io.clipstream.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.schema.CaptionEvent;
import io.clipstream.schema.ImageEvent;
import io.clipstream.schema.Modality;
import io.clipstream.schema.SearchHit;
import io.clipstream.schema.SearchRequest;
import io.clipstream.schema.SearchResponse;
import io.clipstream.schema.Target;
import io.clipstream.schema.VectorRecord;
import io.clipstream.schemaregistry.HttpSchemaRegistryClient;
import io.clipstream.schemaregistry.InProcessSchemaRegistry;
import io.clipstream.schemaregistry.SchemaRegistryConfig;
import io.clipstream.schemaregistry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConfluentAvroSerdeTest {

    private static final String IMAGES = "media.images";

    private InProcessSchemaRegistry registry;
    private HttpSchemaRegistryClient client;
    private AvroSerdes serdes;

    @BeforeEach
    void start() {
        registry = new InProcessSchemaRegistry();
        client = new HttpSchemaRegistryClient(SchemaRegistryConfig.of(registry.url().toString()).withRequestTimeout(Duration.ofSeconds(5)));
        serdes = new AvroSerdes(client, true);
    }

    @AfterEach
    void stop() {
        client.close();
        registry.close();
    }

    @Test
    void imageEventWithBytesRoundTripsInTheWireFormat() {
        ImageEvent event = ImageEvent.newBuilder()
                .setId("img-1")
                .setBytes(ByteBuffer.wrap(new byte[] {(byte) 0xFF, (byte) 0xD8, 0, 1, 2, 3}))
                .setContentType("image/jpeg")
                .setTenant("acme")
                .setMetadata(Map.of("source", "upload"))
                .setEventTimeMs(1_700_000_000_000L)
                .build();

        byte[] wire = serdes.imageEvent().serializer().serialize(IMAGES, event);

        assertEquals(0, wire[0], "magic byte");
        int id = client.idOf(IMAGES + "-value", ImageEvent.getClassSchema());
        assertEquals(id, ByteBuffer.wrap(wire, 1, 4).getInt(), "big-endian schema id after the magic byte");
        assertEquals(event, serdes.imageEvent().deserializer().deserialize(IMAGES, wire));
    }

    @Test
    void vectorRecordWithAFloatVectorRoundTrips() {
        VectorRecord vector = VectorRecord.newBuilder()
                .setId("img-1")
                .setModality(Modality.IMAGE)
                .setModelId("clipstream-tiny-v1")
                .setDimension(4)
                .setVector(List.of(0.5f, -0.5f, 0.25f, Float.MIN_VALUE))
                .setCategory("animals")
                .setEmbeddedAtMs(42L)
                .build();

        assertEquals(vector, roundTrip(serdes.vectorRecord(), "vectors.image", vector));
    }

    @Test
    void captionEventRoundTrips() {
        CaptionEvent caption = CaptionEvent.newBuilder().setId("cap-1").setText("a red bicycle").setLanguage("en")
                .setImageId("img-1").build();

        assertEquals(caption, roundTrip(serdes.captionEvent(), "media.captions", caption));
    }

    @Test
    void searchRequestRoundTrips() {
        SearchRequest request = SearchRequest.newBuilder()
                .setCorrelationId("c-1")
                .setText("a red bicycle")
                .setTarget(Target.TEXT)
                .setK(5)
                .setFilters(Map.of("tenant", "acme"))
                .setMinScore(0.2f)
                .setReplyTopic("my.replies")
                .build();

        assertEquals(request, roundTrip(serdes.searchRequest(), "search.requests", request));
    }

    @Test
    void searchResponseWithHitsRoundTrips() {
        SearchResponse response = SearchResponse.newBuilder()
                .setCorrelationId("c-1")
                .setHits(List.of(
                        SearchHit.newBuilder().setId("img-1").setModality(Modality.IMAGE).setScore(0.91f)
                                .setMetadata(Map.of("tenant", "acme")).build(),
                        SearchHit.newBuilder().setId("cap-7").setModality(Modality.TEXT).setScore(0.5f)
                                .setText("a bicycle").build()))
                .setTookMs(12)
                .setMissingPartitions(List.of("vectors-image-3"))
                .build();

        assertEquals(response, roundTrip(serdes.searchResponse(), "search.responses", response));
    }

    @Test
    void tombstonesPassThroughAsNull() {
        assertNull(serdes.imageEvent().serializer().serialize(IMAGES, null));
        assertNull(serdes.imageEvent().deserializer().deserialize(IMAGES, null));
        assertNull(serdes.imageEvent().deserializer().deserialize(IMAGES, new byte[0]));
    }

    @Test
    void keysAreRegisteredUnderTheKeySubject() {
        ImageEvent event = ImageEvent.newBuilder().setId("img-1").setUrl("https://example.org/a.png").build();

        byte[] wire = serdes.key(ImageEvent.class).serializer().serialize("keyed", event);

        assertEquals(client.idOf("keyed-key", ImageEvent.getClassSchema()), ByteBuffer.wrap(wire, 1, 4).getInt());
        assertEquals(SchemaRegistryException.SUBJECT_NOT_FOUND, assertThrows(SchemaRegistryException.class,
                () -> client.idOf("keyed-value", ImageEvent.getClassSchema())).errorCode());
    }

    @Test
    void refusesBytesThatAreNotTheWireFormat() {
        byte[] json = "{\"id\":\"img-1\"}".getBytes(StandardCharsets.UTF_8);

        SerializationException e = assertThrows(SerializationException.class,
                () -> serdes.imageEvent().deserializer().deserialize(IMAGES, json));

        assertEquals("record on topic media.images is not in the Confluent wire format: first byte is 0x7B, expected 0x00;"
                + " was it produced with a Confluent-compatible Avro serializer?", e.getMessage());
    }

    @Test
    void refusesARecordTooShortForTheHeader() {
        SerializationException e = assertThrows(SerializationException.class,
                () -> serdes.imageEvent().deserializer().deserialize(IMAGES, new byte[] {0, 0, 1}));

        assertTrue(e.getMessage().contains("too short for the Confluent wire format"), e.getMessage());
    }

    @Test
    void anUnknownSchemaIdNamesTheId() {
        byte[] wire = new byte[] {0, 0, 0, 0x10, 0x01, 2, 'x'}; // id 4097

        SerializationException e = assertThrows(SerializationException.class,
                () -> serdes.imageEvent().deserializer().deserialize(IMAGES, wire));

        assertTrue(e.getMessage().contains("schema id 4097"), e.getMessage());
        assertTrue(e.getMessage().contains(IMAGES), e.getMessage());
        SchemaRegistryException cause = assertInstanceOf(SchemaRegistryException.class, e.getCause());
        assertEquals(SchemaRegistryException.SCHEMA_NOT_FOUND, cause.errorCode());
    }

    @Test
    void aCorruptPayloadNamesTopicAndSchemaId() {
        ImageEvent event = ImageEvent.newBuilder().setId("img-1").setUrl("https://example.org/a.png").build();
        byte[] wire = serdes.imageEvent().serializer().serialize(IMAGES, event);
        int id = ByteBuffer.wrap(wire, 1, 4).getInt();

        for (byte[] corrupt : List.of(Arrays.copyOf(wire, wire.length - 3), Arrays.copyOf(wire, wire.length + 1),
                concat(Arrays.copyOf(wire, 5), new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F}))) {
            SerializationException e = assertThrows(SerializationException.class,
                    () -> serdes.imageEvent().deserializer().deserialize(IMAGES, corrupt));
            assertTrue(e.getMessage().startsWith("record on topic media.images with schema id " + id + " could not be decoded"),
                    e.getMessage());
        }
    }

    @Test
    void readsARecordWrittenWithAnOlderSchemaFillingInDefaults() throws IOException {
        // Yesterday's ImageEvent: no metadata map and no event time.
        Schema older = new Schema.Parser().parse("""
                {"type":"record","name":"ImageEvent","namespace":"io.clipstream.schema","fields":[
                  {"name":"id","type":"string"},
                  {"name":"bytes","type":["null","bytes"],"default":null},
                  {"name":"url","type":["null","string"],"default":null},
                  {"name":"contentType","type":["null","string"],"default":null},
                  {"name":"tenant","type":["null","string"],"default":null},
                  {"name":"category","type":["null","string"],"default":null}]}""");
        int olderId = client.register(IMAGES + "-value", older);
        GenericRecord old = new GenericData.Record(older);
        old.put("id", "img-old");
        old.put("url", "https://example.org/old.png");
        old.put("tenant", "acme");

        ImageEvent read = serdes.imageEvent().deserializer().deserialize(IMAGES, wireFormat(olderId, older, old));

        assertEquals("img-old", read.getId());
        assertEquals("https://example.org/old.png", read.getUrl());
        assertEquals("acme", read.getTenant());
        assertEquals(Map.of(), read.getMetadata());
        assertNull(read.getEventTimeMs());
        // Today's producer registers today's schema as a BACKWARD-compatible next version.
        byte[] current = serdes.imageEvent().serializer().serialize(IMAGES, read);
        assertNotEquals(olderId, ByteBuffer.wrap(current, 1, 4).getInt());
    }

    @Test
    void aWriterSchemaThisClassCannotReadIsAClearError() throws IOException {
        Schema other = new Schema.Parser().parse("""
                {"type":"record","name":"ImageEvent","namespace":"io.clipstream.schema","fields":[
                  {"name":"id","type":"int"}]}""");
        int otherId = client.register("elsewhere-value", other);
        GenericRecord record = new GenericData.Record(other);
        record.put("id", 7);

        SerializationException e = assertThrows(SerializationException.class,
                () -> serdes.imageEvent().deserializer().deserialize(IMAGES, wireFormat(otherId, other, record)));

        assertTrue(e.getMessage().contains("schema id " + otherId), e.getMessage());
        assertTrue(e.getMessage().contains("cannot read"), e.getMessage());
    }

    @Test
    void withoutAutoRegisterTheSchemaMustAlreadyBeRegistered() {
        AvroSerdes lookupOnly = new AvroSerdes(client, false);
        ImageEvent event = ImageEvent.newBuilder().setId("img-1").setUrl("https://example.org/a.png").build();

        SerializationException e = assertThrows(SerializationException.class,
                () -> lookupOnly.imageEvent().serializer().serialize("fresh", event));
        assertTrue(e.getMessage().contains("subject 'fresh-value'"), e.getMessage());
        assertEquals(SchemaRegistryException.SUBJECT_NOT_FOUND,
                assertInstanceOf(SchemaRegistryException.class, e.getCause()).errorCode());

        int id = client.register("fresh-value", ImageEvent.getClassSchema());
        byte[] wire = lookupOnly.imageEvent().serializer().serialize("fresh", event);
        assertEquals(id, ByteBuffer.wrap(wire, 1, 4).getInt());
    }

    @Test
    void aRegistryFailureWhileSerializingIsASerializationException() {
        registry.close();
        ImageEvent event = ImageEvent.newBuilder().setId("img-1").setUrl("https://example.org/a.png").build();

        SerializationException e = assertThrows(SerializationException.class,
                () -> serdes.imageEvent().serializer().serialize(IMAGES, event));

        assertEquals(SchemaRegistryException.Kind.UNREACHABLE,
                assertInstanceOf(SchemaRegistryException.class, e.getCause()).kind());
    }

    @Test
    void writesTheSameBytesAsAPlainAvroEncoderAfterTheHeader() throws IOException {
        CaptionEvent caption = CaptionEvent.newBuilder().setId("cap-1").setText("hello").build();
        byte[] wire = serdes.captionEvent().serializer().serialize("media.captions", caption);
        int id = ByteBuffer.wrap(wire, 1, 4).getInt();

        GenericRecord generic = new GenericData.Record(CaptionEvent.getClassSchema());
        for (Schema.Field field : CaptionEvent.getClassSchema().getFields()) {
            generic.put(field.name(), caption.get(field.pos()));
        }
        assertArrayEquals(wireFormat(id, CaptionEvent.getClassSchema(), generic), wire);
    }

    private static <T extends SpecificRecord> T roundTrip(ConfluentAvroSerde<T> serde, String topic, T record) {
        byte[] wire = serde.serializer().serialize(topic, record);
        assertEquals(0, wire[0]);
        return serde.deserializer().deserialize(topic, wire);
    }

    /** What a Confluent serializer on another machine would have written with {@code schema}. */
    private static byte[] wireFormat(int id, Schema schema, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(id).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }
}
