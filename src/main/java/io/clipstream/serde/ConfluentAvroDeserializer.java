package io.clipstream.serde;

import io.clipstream.schemaregistry.LruCache;
import io.clipstream.schemaregistry.SchemaRegistryClient;
import io.clipstream.schemaregistry.SchemaRegistryException;
import java.io.IOException;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent wire format records into Avro specific records: the writer schema comes from the
 * registry by the id in the header and is resolved against the class's schema, so that records
 * written with an older (BACKWARD-compatible) schema read with today's defaults. Null or empty
 * bytes read as null (tombstones).
 */
public final class ConfluentAvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    private static final int READER_CACHE_CAPACITY = 1_000;

    private final SchemaRegistryClient registry;
    private final Schema readerSchema;
    private final SpecificData model;
    // One reader per writer schema: building the resolution between two schemas is the costly part.
    private final LruCache<Integer, DatumReader<T>> readersByWriterId = new LruCache<>(READER_CACHE_CAPACITY);

    public ConfluentAvroDeserializer(SchemaRegistryClient registry, Class<T> recordClass) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.model = SpecificData.getForClass(Objects.requireNonNull(recordClass, "recordClass"));
        this.readerSchema = model.getSchema(recordClass);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null || data.length == 0) {
            return null;
        }
        int id = ConfluentWireFormat.schemaId(topic, data);
        DatumReader<T> reader = reader(topic, id);
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, ConfluentWireFormat.HEADER_SIZE,
                    data.length - ConfluentWireFormat.HEADER_SIZE, null);
            T record = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new IOException("bytes left over after the record");
            }
            return record;
        } catch (IOException | RuntimeException e) {
            throw undecodable(topic, id, readerSchema, e);
        }
    }

    /** The failure for bytes that do not decode as {@code reader}, though their header names schema {@code id}. */
    static SerializationException undecodable(String topic, int id, Schema reader, Exception cause) {
        return new SerializationException("record on topic " + topic + " with schema id " + id
                + " could not be decoded as " + reader.getFullName() + " (" + cause + "); the payload is corrupt"
                + " or was not written with schema id " + id, cause);
    }

    /** The failure for a writer schema the registry did not give; the cause tells an outage from an unknown id. */
    static SerializationException unfetchable(String topic, int id, SchemaRegistryException cause) {
        return new SerializationException("record on topic " + topic + " names writer schema id " + id
                + ", which could not be fetched: " + cause.getMessage(), cause);
    }

    private DatumReader<T> reader(String topic, int id) {
        DatumReader<T> cached = readersByWriterId.get(id);
        if (cached != null) {
            return cached;
        }
        Schema writerSchema;
        try {
            writerSchema = registry.getById(id);
        } catch (SchemaRegistryException e) {
            throw unfetchable(topic, id, e);
        }
        var compatibility = SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writerSchema);
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new SerializationException("record on topic " + topic + " was written with schema id " + id + " ("
                    + writerSchema.getFullName() + "), which " + readerSchema.getFullName() + " cannot read: "
                    + compatibility.getResult().getIncompatibilities().stream()
                            .map(i -> i.getType() + " at " + i.getLocation() + ": " + i.getMessage()).toList()
                    + "; the producer's schema is not BACKWARD compatible with this reader");
        }
        DatumReader<T> reader = new SpecificDatumReader<>(writerSchema, readerSchema, model);
        readersByWriterId.put(id, reader);
        return reader;
    }
}
