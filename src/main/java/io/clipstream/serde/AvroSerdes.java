package io.clipstream.serde;

import io.clipstream.schema.CaptionEvent;
import io.clipstream.schema.ImageEvent;
import io.clipstream.schema.SearchRequest;
import io.clipstream.schema.SearchResponse;
import io.clipstream.schema.VectorRecord;
import io.clipstream.schemaregistry.SchemaRegistryClient;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;

/** Value serdes for each of clipstream's record types, all sharing one registry client (and its caches). */
public final class AvroSerdes {

    private final SchemaRegistryClient registry;
    private final boolean autoRegister;

    public AvroSerdes(SchemaRegistryClient registry, boolean autoRegister) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.autoRegister = autoRegister;
    }

    public ConfluentAvroSerde<ImageEvent> imageEvent() {
        return value(ImageEvent.class);
    }

    public ConfluentAvroSerde<CaptionEvent> captionEvent() {
        return value(CaptionEvent.class);
    }

    public ConfluentAvroSerde<VectorRecord> vectorRecord() {
        return value(VectorRecord.class);
    }

    /** The index's reader of vector records: straight into its view where the layout allows (see {@link ConfluentVectorDecoder}). */
    public ConfluentVectorDecoder vectorDecoder() {
        return new ConfluentVectorDecoder(registry);
    }

    public ConfluentAvroSerde<SearchRequest> searchRequest() {
        return value(SearchRequest.class);
    }

    public ConfluentAvroSerde<SearchResponse> searchResponse() {
        return value(SearchResponse.class);
    }

    /** A serde for record values of any specific record type. */
    public <T extends SpecificRecord> ConfluentAvroSerde<T> value(Class<T> recordClass) {
        return new ConfluentAvroSerde<>(registry, recordClass, false, autoRegister);
    }

    /** A serde for record keys of any specific record type (clipstream's own keys are plain strings). */
    public <T extends SpecificRecord> ConfluentAvroSerde<T> key(Class<T> recordClass) {
        return new ConfluentAvroSerde<>(registry, recordClass, true, autoRegister);
    }
}
