package io.clipstream.schemaregistry;

import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry protocol that Avro producers and consumers need.
 * Implementations are thread-safe and cache what never changes (ids and the schemas behind them).
 * Every failure is a {@link SchemaRegistryException}.
 */
public interface SchemaRegistryClient extends AutoCloseable {

    /**
     * Registers {@code schema} under {@code subject} (idempotent) and returns its global id.
     * Fails with {@link SchemaRegistryException#INCOMPATIBLE_SCHEMA} when the subject's
     * compatibility level refuses it.
     */
    int register(String subject, Schema schema);

    /** The schema with this global id; fails with {@link SchemaRegistryException#SCHEMA_NOT_FOUND}. */
    Schema getById(int id);

    /**
     * The id of {@code schema} as already registered under {@code subject}, without registering it;
     * fails with {@link SchemaRegistryException#SUBJECT_NOT_FOUND} or
     * {@link SchemaRegistryException#SCHEMA_NOT_FOUND}.
     */
    int idOf(String subject, Schema schema);

    /**
     * Whether the registry would accept {@code schema} as the subject's next version under the
     * subject's compatibility level. A subject with no versions accepts anything.
     */
    boolean isCompatible(String subject, Schema schema);

    /** Releases connections; the default holds none. */
    @Override
    default void close() {
    }
}
