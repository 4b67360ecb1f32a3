package io.clipstream.schemaregistry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The Avro contract in {@code schemas/} stays BACKWARD compatible: a consumer built today reads
 * everything written with the baseline committed in {@code src/test/resources/schemas-baseline/}.
 * Update the baseline only together with a release whose data no longer needs to be read.
 */
class SchemaCompatibilityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Named types other files refer to; parsed first so that the references resolve. */
    private static final List<String> SHARED_TYPES = List.of("Modality.avsc", "VectorRecord.avsc");

    @TestFactory
    Stream<DynamicTest> everyContractSchemaReadsDataWrittenWithItsBaseline() {
        Map<String, Schema> current = parseSet(readDirectory(currentDirectory()));
        Map<String, Schema> baseline = parseSet(readDirectory(baselineDirectory()));
        assertFalse(baseline.isEmpty(), "no baseline schemas found in " + baselineDirectory());

        return baseline.entrySet().stream().map(entry -> DynamicTest.dynamicTest(entry.getKey(), () -> {
            Schema now = current.get(entry.getKey());
            if (now == null) {
                fail("schemas/" + entry.getKey() + " was removed, but producers may still write it; keep it");
            }
            List<String> problems = backwardProblems(now, entry.getValue());
            assertTrue(problems.isEmpty(), "schemas/" + entry.getKey() + " can no longer read data written with the baseline: "
                    + problems + "; give new fields defaults and keep old fields' types");
        }));
    }

    @Test
    void everyContractSchemaHasABaseline() {
        List<String> missing = new ArrayList<>(readDirectory(currentDirectory()).keySet());
        missing.removeAll(readDirectory(baselineDirectory()).keySet());

        assertEquals(List.of(), missing, "copy new schemas into src/test/resources/schemas-baseline/ so that later changes are checked");
    }

    @Test
    void detectsANewRequiredFieldWithoutDefault() {
        Map<String, String> texts = readDirectory(currentDirectory());
        texts.put("ImageEvent.avsc", withField(texts.get("ImageEvent.avsc"), JSON.createObjectNode()
                .put("name", "checksum").put("type", "string")));
        Schema baseline = parseSet(readDirectory(baselineDirectory())).get("ImageEvent.avsc");

        List<String> problems = backwardProblems(parseSet(texts).get("ImageEvent.avsc"), baseline);

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.getFirst().contains("checksum"), problems.toString());
    }

    @Test
    void detectsAChangedFieldTypeInASchemaThatUsesTheSharedEnum() {
        Map<String, String> texts = readDirectory(currentDirectory());
        texts.put("VectorRecord.avsc", withFieldType(texts.get("VectorRecord.avsc"), "dimension", "string"));
        Schema baseline = parseSet(readDirectory(baselineDirectory())).get("VectorRecord.avsc");

        List<String> problems = backwardProblems(parseSet(texts).get("VectorRecord.avsc"), baseline);

        assertFalse(problems.isEmpty(), "changing dimension from int to string must be caught");
    }

    @Test
    void acceptsANewFieldWithADefault() {
        ObjectNode optional = JSON.createObjectNode().put("name", "checksum");
        optional.putArray("type").add("null").add("string");
        optional.putNull("default");
        Map<String, String> texts = readDirectory(currentDirectory());
        texts.put("ImageEvent.avsc", withField(texts.get("ImageEvent.avsc"), optional));
        Schema baseline = parseSet(readDirectory(baselineDirectory())).get("ImageEvent.avsc");

        assertEquals(List.of(), backwardProblems(parseSet(texts).get("ImageEvent.avsc"), baseline));
    }

    /** Why a reader on {@code current} cannot read data written with {@code baseline}; empty when it can. */
    static List<String> backwardProblems(Schema current, Schema baseline) {
        var result = SchemaCompatibility.checkReaderWriterCompatibility(current, baseline).getResult();
        return result.getIncompatibilities().stream()
                .map(i -> i.getType() + " at " + i.getLocation() + ": " + i.getMessage())
                .toList();
    }

    /** Parses one set of files with one parser, shared types first, as the Avro build plugin does. */
    private static Map<String, Schema> parseSet(Map<String, String> textsByFile) {
        Schema.Parser parser = new Schema.Parser();
        Map<String, Schema> schemas = new LinkedHashMap<>();
        for (String shared : SHARED_TYPES) {
            if (textsByFile.containsKey(shared)) {
                schemas.put(shared, parser.parse(textsByFile.get(shared)));
            }
        }
        textsByFile.forEach((file, text) -> {
            if (!SHARED_TYPES.contains(file)) {
                schemas.put(file, parser.parse(text));
            }
        });
        return schemas;
    }

    private static Map<String, String> readDirectory(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            Map<String, String> texts = new TreeMap<>();
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".avsc")).toList()) {
                texts.put(file.getFileName().toString(), Files.readString(file));
            }
            return texts;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schemas in " + directory, e);
        }
    }

    private static String withField(String recordSchema, ObjectNode field) {
        try {
            ObjectNode record = (ObjectNode) JSON.readTree(recordSchema);
            ((ArrayNode) record.get("fields")).add(field);
            return record.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String withFieldType(String recordSchema, String fieldName, String type) {
        try {
            ObjectNode record = (ObjectNode) JSON.readTree(recordSchema);
            for (var field : record.get("fields")) {
                if (field.get("name").asText().equals(fieldName)) {
                    ((ObjectNode) field).put("type", type);
                    return record.toString();
                }
            }
            throw new IllegalArgumentException("no field " + fieldName + " in " + record.get("name"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path currentDirectory() {
        return Path.of(System.getProperty("clipstream.project.dir", ".")).resolve("schemas");
    }

    private static Path baselineDirectory() {
        try {
            return Path.of(SchemaCompatibilityTest.class.getResource("/schemas-baseline").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
