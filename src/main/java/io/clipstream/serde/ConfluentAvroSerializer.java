package io.clipstream.serde;

import io.clipstream.schemaregistry.SchemaRegistryClient;
import io.clipstream.schemaregistry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro specific records in the Confluent wire format, registering the schema under the
 * topic's subject (or only looking its id up when auto-registration is off). Null stays null, so
 * tombstones pass through.
 */
public final class ConfluentAvroSerializer<T extends SpecificRecord> implements Serializer<T> {

    private final SchemaRegistryClient registry;
    private final Schema schema;
    private final boolean isKey;
    private final boolean autoRegister;
    // Thread-safe once built: it keeps no per-call state.
    private final DatumWriter<T> writer;

    public ConfluentAvroSerializer(SchemaRegistryClient registry, Class<T> recordClass, boolean isKey, boolean autoRegister) {
        this.registry = Objects.requireNonNull(registry, "registry");
        SpecificData model = SpecificData.getForClass(Objects.requireNonNull(recordClass, "recordClass"));
        this.schema = model.getSchema(recordClass);
        this.isKey = isKey;
        this.autoRegister = autoRegister;
        this.writer = new SpecificDatumWriter<>(schema, model);
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        int id = schemaId(topic);
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        byte[] header = new byte[ConfluentWireFormat.HEADER_SIZE];
        ConfluentWireFormat.writeHeader(header, id);
        out.writeBytes(header);
        try {
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("could not encode a " + schema.getFullName() + " for topic " + topic
                    + " with schema id " + id + ": " + e.getMessage()
                    + "; check that required fields are set (a null in a non-optional field is the usual cause)", e);
        }
        return out.toByteArray();
    }

    private int schemaId(String topic) {
        String subject = ConfluentWireFormat.subject(topic, isKey);
        try {
            return autoRegister ? registry.register(subject, schema) : registry.idOf(subject, schema);
        } catch (SchemaRegistryException e) {
            // Kafka's and Streams' error handling treat SerializationException as "this record failed";
            // the typed registry error stays available as the cause.
            throw new SerializationException("could not get a schema id for " + schema.getFullName() + " under subject '"
                    + subject + "' to write a record to topic " + topic + ": " + e.getMessage(), e);
        }
    }
}
