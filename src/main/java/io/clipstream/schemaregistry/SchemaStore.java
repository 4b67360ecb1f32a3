package io.clipstream.schemaregistry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.Schema;

/**
 * The in-process registry's state: subjects with their versions, global ids (one per distinct
 * schema across all subjects, as Confluent assigns them) and compatibility levels. Every method
 * holds one lock, so that a compatibility check and the registration it allows are atomic.
 */
final class SchemaStore {

    /** One version of one subject. */
    record Registered(String subject, int version, int id, String schema) {
    }

    private record Entry(int id, Schema schema, String canonical) {
    }

    private final Map<String, Entry> byCanonical = new HashMap<>();
    private final Map<Integer, Entry> byId = new HashMap<>();
    private final TreeMap<String, List<Entry>> subjects = new TreeMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel;
    private int nextId = 1;

    SchemaStore(CompatibilityLevel globalLevel) {
        this.globalLevel = globalLevel;
    }

    synchronized Registered register(String subject, Schema schema) {
        String canonical = canonical(schema);
        List<Entry> versions = subjects.getOrDefault(subject, List.of());
        for (int i = 0; i < versions.size(); i++) {
            if (versions.get(i).canonical().equals(canonical)) {
                return registered(subject, i, versions.get(i));
            }
        }
        List<String> problems = problems(subject, schema);
        if (!problems.isEmpty()) {
            throw new RegistryError(409, SchemaRegistryException.INCOMPATIBLE_SCHEMA,
                    "Schema being registered is incompatible with an earlier schema for subject '" + subject
                            + "' under compatibility level " + effectiveLevel(subject) + "; details: " + problems);
        }
        Entry entry = byCanonical.computeIfAbsent(canonical, c -> {
            Entry created = new Entry(nextId++, schema, c);
            byId.put(created.id(), created);
            return created;
        });
        List<Entry> updated = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
        updated.add(entry);
        return registered(subject, updated.size() - 1, entry);
    }

    synchronized Registered lookup(String subject, Schema schema) {
        List<Entry> versions = requireSubject(subject);
        String canonical = canonical(schema);
        for (int i = 0; i < versions.size(); i++) {
            if (versions.get(i).canonical().equals(canonical)) {
                return registered(subject, i, versions.get(i));
            }
        }
        throw RegistryError.schemaNotFound("Schema not found under subject '" + subject + "'.");
    }

    synchronized List<String> subjects() {
        return List.copyOf(subjects.keySet());
    }

    synchronized List<Integer> versions(String subject) {
        int count = requireSubject(subject).size();
        List<Integer> numbers = new ArrayList<>(count);
        for (int v = 1; v <= count; v++) {
            numbers.add(v);
        }
        return numbers;
    }

    /** A version by number, where -1 means the latest. */
    synchronized Registered version(String subject, int version) {
        List<Entry> versions = requireSubject(subject);
        int index = version == -1 ? versions.size() - 1 : version - 1;
        if (index < 0 || index >= versions.size()) {
            throw RegistryError.versionNotFound(subject, version);
        }
        return registered(subject, index, versions.get(index));
    }

    synchronized Optional<String> schemaById(int id) {
        return Optional.ofNullable(byId.get(id)).map(Entry::canonical);
    }

    /**
     * Why {@code schema} may not become the subject's next version: checked against the versions the
     * subject's level covers when {@code version} is -1 (latest), else against that one version.
     */
    synchronized List<String> testCompatibility(String subject, Schema schema, int version) {
        if (version == -1) {
            requireSubject(subject);
            return problems(subject, schema);
        }
        Entry against = byId.get(version(subject, version).id());
        return effectiveLevel(subject).problems(schema, List.of(against.schema()));
    }

    synchronized CompatibilityLevel globalLevel() {
        return globalLevel;
    }

    synchronized void globalLevel(CompatibilityLevel level) {
        globalLevel = level;
    }

    synchronized Optional<CompatibilityLevel> subjectLevel(String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }

    synchronized void subjectLevel(String subject, CompatibilityLevel level) {
        subjectLevels.put(subject, level);
    }

    /** Confluent's notion of "the same schema": equal once parsed and printed without whitespace. */
    static String canonical(Schema schema) {
        return schema.toString();
    }

    private CompatibilityLevel effectiveLevel(String subject) {
        return subjectLevels.getOrDefault(subject, globalLevel);
    }

    private List<String> problems(String subject, Schema schema) {
        List<Schema> existing = subjects.getOrDefault(subject, List.of()).stream().map(Entry::schema).toList();
        return effectiveLevel(subject).problems(schema, existing);
    }

    private List<Entry> requireSubject(String subject) {
        List<Entry> versions = subjects.get(subject);
        if (versions == null || versions.isEmpty()) {
            throw RegistryError.subjectNotFound(subject);
        }
        return versions;
    }

    private static Registered registered(String subject, int index, Entry entry) {
        return new Registered(subject, index + 1, entry.id(), entry.canonical());
    }
}
