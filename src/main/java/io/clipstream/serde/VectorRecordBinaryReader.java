package io.clipstream.serde;

import io.clipstream.schema.Modality;
import io.clipstream.index.IndexedVector;
import io.clipstream.common.Tag;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the Avro binary encoding of {@code schemas/VectorRecord.avsc}, field by field in the schema's order, straight
 * into what the index keeps: the vector into a {@code float[]} without boxing a component, and the fields the index
 * does not keep ({@code imageUrl}, {@code imageId}, {@code truncated}, {@code embeddedAtMs}) skipped over. Valid only
 * for bytes written with exactly this layout, which {@link ConfluentVectorDecoder} establishes from the writer
 * schema.
 */
final class VectorRecordBinaryReader {

    /**
     * The parsing canonical form of the schema this reader is written for. {@link ConfluentVectorDecoder} reads through
     * it only while the generated {@code VectorRecord} has this form, so that a change to {@code VectorRecord.avsc}
     * without a change here costs speed (every record through Avro's reader), never a misread record.
     */
    static final String LAYOUT = """
            {"name":"io.clipstream.schema.VectorRecord","type":"record","fields":[\
            {"name":"id","type":"string"},\
            {"name":"modality","type":{"name":"io.clipstream.schema.Modality","type":"enum","symbols":["IMAGE","TEXT"]}},\
            {"name":"modelId","type":"string"},\
            {"name":"dimension","type":"int"},\
            {"name":"vector","type":{"type":"array","items":"float"}},\
            {"name":"tenant","type":["null","string"]},\
            {"name":"category","type":["null","string"]},\
            {"name":"metadata","type":{"type":"map","values":"string"}},\
            {"name":"text","type":["null","string"]},\
            {"name":"imageUrl","type":["null","string"]},\
            {"name":"imageId","type":["null","string"]},\
            {"name":"truncated","type":"boolean"},\
            {"name":"embeddedAtMs","type":"long"},\
            {"name":"labels","type":{"type":"array","items":{"name":"io.clipstream.schema.ScoredLabel","type":"record",\
            "fields":[{"name":"label","type":"string"},{"name":"score","type":"float"}]}}}]}""";

    private static final Modality[] MODALITIES = Modality.values();
    /** The smallest encodings of a map entry (two empty strings) and a label (an empty string and a float). */
    private static final int MIN_ENTRY_BYTES = 2;
    private static final int MIN_LABEL_BYTES = 1 + Float.BYTES;

    private VectorRecordBinaryReader() {
    }

    /** The record encoded in {@code bytes} from {@code offset} to the end of the array. */
    static DecodedVector read(byte[] bytes, int offset) throws IOException {
        AvroBinaryInput in = new AvroBinaryInput(bytes, offset);
        String id = in.readString();
        Modality modality = modality(in);
        String modelId = in.readString();
        int dimension = in.readInt();
        float[] vector = floats(in);
        String tenant = optionalString(in, "tenant");
        String category = optionalString(in, "category");
        Map<String, String> metadata = stringMap(in);
        String text = optionalString(in, "text");
        optionalString(in, "imageUrl");
        optionalString(in, "imageId");
        in.readBoolean(); // truncated
        in.readLong(); // embeddedAtMs
        List<Tag> labels = labels(in);
        if (!in.isEnd()) {
            throw new IOException(in.remaining() + " bytes left over after the record");
        }
        return new DecodedVector(modelId, dimension,
                IndexedVector.of(id, modality, vector, tenant, category, metadata, text, labels));
    }

    private static Modality modality(AvroBinaryInput in) throws IOException {
        int at = in.position();
        int symbol = in.readInt();
        if (symbol < 0 || symbol >= MODALITIES.length) {
            throw new IOException("modality at byte " + at + " is symbol " + symbol + " of an enum with "
                    + MODALITIES.length + " symbols");
        }
        return MODALITIES[symbol];
    }

    private static float[] floats(AvroBinaryInput in) throws IOException {
        int count = in.readBlockCount(Float.BYTES);
        float[] vector = new float[count];
        int filled = 0;
        while (count > 0) {
            if (filled + count > vector.length) {
                vector = Arrays.copyOf(vector, filled + count);
            }
            in.readFloats(vector, filled, count);
            filled += count;
            count = in.readBlockCount(Float.BYTES);
        }
        return vector;
    }

    private static String optionalString(AvroBinaryInput in, String field) throws IOException {
        int at = in.position();
        int branch = in.readInt();
        return switch (branch) {
            case 0 -> null;
            case 1 -> in.readString();
            default -> throw new IOException(field + " at byte " + at + " names branch " + branch
                    + " of a union with 2 branches");
        };
    }

    private static Map<String, String> stringMap(AvroBinaryInput in) throws IOException {
        Map<String, String> map = new HashMap<>();
        for (int count = in.readBlockCount(MIN_ENTRY_BYTES); count > 0; count = in.readBlockCount(MIN_ENTRY_BYTES)) {
            for (int i = 0; i < count; i++) {
                map.put(in.readString(), in.readString());
            }
        }
        return map;
    }

    private static List<Tag> labels(AvroBinaryInput in) throws IOException {
        List<Tag> labels = new ArrayList<>();
        for (int count = in.readBlockCount(MIN_LABEL_BYTES); count > 0; count = in.readBlockCount(MIN_LABEL_BYTES)) {
            for (int i = 0; i < count; i++) {
                labels.add(new Tag(in.readString(), in.readFloat()));
            }
        }
        return labels;
    }
}
