package io.clipstream.schemaregistry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

/**
 * The registry's compatibility levels, with Confluent's meaning: BACKWARD means consumers on the
 * new schema can read data written with the old one, FORWARD the reverse, FULL both; the
 * transitive variants check every earlier version instead of only the latest.
 */
public enum CompatibilityLevel {
    NONE,
    BACKWARD,
    BACKWARD_TRANSITIVE,
    FORWARD,
    FORWARD_TRANSITIVE,
    FULL,
    FULL_TRANSITIVE;

    /** Parses a level name in any case, or empty when it names none. */
    public static Optional<CompatibilityLevel> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(name.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Why {@code candidate} may not follow {@code existing} (oldest first) under this level; empty
     * when it may.
     */
    public List<String> problems(Schema candidate, List<Schema> existing) {
        if (this == NONE || existing.isEmpty()) {
            return List.of();
        }
        List<Schema> checked = transitive() ? existing : List.of(existing.getLast());
        List<String> problems = new ArrayList<>();
        for (Schema earlier : checked) {
            if (checksBackward()) {
                describe(candidate, earlier, "new schema cannot read data written with an earlier version", problems);
            }
            if (checksForward()) {
                describe(earlier, candidate, "an earlier version cannot read data written with the new schema", problems);
            }
        }
        return problems;
    }

    private boolean transitive() {
        return name().endsWith("_TRANSITIVE");
    }

    private boolean checksBackward() {
        return this == BACKWARD || this == BACKWARD_TRANSITIVE || this == FULL || this == FULL_TRANSITIVE;
    }

    private boolean checksForward() {
        return this == FORWARD || this == FORWARD_TRANSITIVE || this == FULL || this == FULL_TRANSITIVE;
    }

    private static void describe(Schema reader, Schema writer, String direction, List<String> problems) {
        var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult();
        for (Incompatibility incompatibility : result.getIncompatibilities()) {
            problems.add(direction + ": " + incompatibility.getType() + " at " + incompatibility.getLocation()
                    + ": " + incompatibility.getMessage());
        }
    }
}
