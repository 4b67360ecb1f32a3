package io.clipstream.serde;

import io.clipstream.schemaregistry.SchemaRegistryClient;
import io.clipstream.schemaregistry.SchemaRegistryException;
import org.apache.avro.Schema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A schema registry client over a map in memory, for tests that are about what crosses it: it counts lookups by id and
 * the calls only writers make (register, idOf), and can be switched to fail as an unreachable registry does.
 */
public final class MemorySchemaRegistry implements SchemaRegistryClient {

    private final List<Schema> schemas = new ArrayList<>();
    private final Map<String, Integer> idsBySubjectAndSchema = new HashMap<>();
    private final AtomicInteger lookupsById = new AtomicInteger();
    private final AtomicInteger writerCalls = new AtomicInteger();
    private volatile boolean unreachable;

    @Override
    public synchronized int register(String subject, Schema schema) {
        writerCalls.incrementAndGet();
        failIfUnreachable();
        return idsBySubjectAndSchema.computeIfAbsent(subject + "\n" + schema, key -> {
            int id = schemas.indexOf(schema);
            if (id < 0) {
                schemas.add(schema);
                id = schemas.size() - 1;
            }
            return id + 1;
        });
    }

    @Override
    public synchronized Schema getById(int id) {
        lookupsById.incrementAndGet();
        failIfUnreachable();
        if (id < 1 || id > schemas.size()) {
            throw new SchemaRegistryException("schema id " + id + " is not known", SchemaRegistryException.SCHEMA_NOT_FOUND,
                    404, "memory:");
        }
        return schemas.get(id - 1);
    }

    @Override
    public synchronized int idOf(String subject, Schema schema) {
        writerCalls.incrementAndGet();
        failIfUnreachable();
        Integer id = idsBySubjectAndSchema.get(subject + "\n" + schema);
        if (id == null) {
            throw new SchemaRegistryException("schema not registered under " + subject, SchemaRegistryException.SCHEMA_NOT_FOUND,
                    404, "memory:");
        }
        return id;
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        return true;
    }

    /** While true, every call fails as a registry that cannot be reached. */
    public void unreachable(boolean unreachable) {
        this.unreachable = unreachable;
    }

    public int lookupsById() {
        return lookupsById.get();
    }

    /** Calls of register and idOf: what serialising a record costs the registry. */
    public int writerCalls() {
        return writerCalls.get();
    }

    private void failIfUnreachable() {
        if (unreachable) {
            throw new SchemaRegistryException("schema registry at memory: is unreachable", SchemaRegistryException.UNREACHABLE,
                    -1, "memory:");
        }
    }
}
