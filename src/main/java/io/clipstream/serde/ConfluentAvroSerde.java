package io.clipstream.serde;

import io.clipstream.schemaregistry.SchemaRegistryClient;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka {@link Serde} for one Avro specific record type in the Confluent wire format, with
 * subjects named {@code <topic>-value} or {@code <topic>-key} (TopicNameStrategy). It does not own
 * the registry client: closing the serde leaves the client open for the other serdes sharing it.
 */
public final class ConfluentAvroSerde<T extends SpecificRecord> implements Serde<T> {

    private final ConfluentAvroSerializer<T> serializer;
    private final ConfluentAvroDeserializer<T> deserializer;

    /**
     * @param autoRegister whether the serializer registers its schema, or only looks up an id that
     *                     someone registered before (production registries often forbid registering)
     */
    public ConfluentAvroSerde(SchemaRegistryClient registry, Class<T> recordClass, boolean isKey, boolean autoRegister) {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(recordClass, "recordClass");
        this.serializer = new ConfluentAvroSerializer<>(registry, recordClass, isKey, autoRegister);
        this.deserializer = new ConfluentAvroDeserializer<>(registry, recordClass);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }
}
