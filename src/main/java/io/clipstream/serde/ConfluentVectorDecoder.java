package io.clipstream.serde;

import io.clipstream.schema.VectorRecord;
import io.clipstream.schemaregistry.LruCache;
import io.clipstream.schemaregistry.SchemaRegistryClient;
import io.clipstream.schemaregistry.SchemaRegistryException;
import java.io.IOException;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads Confluent wire-format vector records for the index. A record whose writer schema has the same parsing
 * canonical form as {@link VectorRecord}'s (the same fields, types and order, so the same binary layout) is read by
 * {@link VectorRecordBinaryReader} straight into the index's view; any other writer schema (an older, BACKWARD
 * compatible one) goes through {@link ConfluentAvroDeserializer}'s schema resolution and is converted. Which path
 * a schema id takes is decided once and cached, bounded like the deserializer's readers.
 */
public final class ConfluentVectorDecoder implements VectorRecordDecoder {

    private static final int LAYOUT_CACHE_CAPACITY = 1_000;
    private static final Schema READER_SCHEMA = VectorRecord.getClassSchema();
    private static final String READER_FORM = SchemaNormalization.toParsingForm(READER_SCHEMA);
    private static final boolean READER_WRITTEN_FOR_SCHEMA = VectorRecordBinaryReader.LAYOUT.equals(READER_FORM);
    private static final Logger LOG = LoggerFactory.getLogger(ConfluentVectorDecoder.class);

    private final SchemaRegistryClient registry;
    private final ConfluentAvroDeserializer<VectorRecord> records;
    private final VectorRecordDecoder resolving;
    private final LruCache<Integer, Boolean> readerLayoutById = new LruCache<>(LAYOUT_CACHE_CAPACITY);

    public ConfluentVectorDecoder(SchemaRegistryClient registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.records = new ConfluentAvroDeserializer<>(registry, VectorRecord.class);
        this.resolving = VectorRecordDecoder.through(records);
        if (!READER_WRITTEN_FOR_SCHEMA) {
            LOG.warn("VectorRecord's schema is not the layout VectorRecordBinaryReader was written for: every vector record "
                    + "is decoded through Avro's resolving reader, about twice as slow; update VectorRecordBinaryReader");
        }
    }

    @Override
    public DecodedVector decode(String topic, byte[] value) {
        if (value == null || value.length == 0) {
            return null;
        }
        int id = ConfluentWireFormat.schemaId(topic, value);
        if (!hasReaderLayout(topic, id)) {
            return resolving.decode(topic, value);
        }
        try {
            return VectorRecordBinaryReader.read(value, ConfluentWireFormat.HEADER_SIZE);
        } catch (IOException | RuntimeException e) {
            throw ConfluentAvroDeserializer.undecodable(topic, id, READER_SCHEMA, e);
        }
    }

    @Override
    public VectorRecord record(String topic, byte[] value) {
        return records.deserialize(topic, value);
    }

    /** Whether records written with schema {@code id} are laid out as {@link VectorRecordBinaryReader} reads them. */
    boolean hasReaderLayout(String topic, int id) {
        Boolean cached = readerLayoutById.get(id);
        if (cached != null) {
            return cached;
        }
        Schema writer;
        try {
            writer = registry.getById(id);
        } catch (SchemaRegistryException e) {
            throw ConfluentAvroDeserializer.unfetchable(topic, id, e);
        }
        boolean same = READER_WRITTEN_FOR_SCHEMA && READER_FORM.equals(SchemaNormalization.toParsingForm(writer));
        readerLayoutById.put(id, same);
        return same;
    }
}
