package io.clipstream.index;

import io.clipstream.schema.Modality;
import io.clipstream.common.Tag;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * The file format of one sealed {@link VectorRun}, written once when it is sealed:
 * <pre>
 * int magic "CSRN", int version, long run id, int dimension, int capacity, int count,
 * byte float32 kept (0/1), byte code kind (-1 none, else {@link RunCodes.Kind} ordinal);
 * per slot: id, changelog offset, filterable fields, modality, metadata, text (or absent), labels;
 * float32 block (count x dimension) when kept; codes block;
 * long CRC32C of every byte before it.
 * </pre>
 * Big-endian throughout; strings are an int byte count and UTF-8 (-1 for absent).
 */
final class RunFile {

    static final int MAGIC = 0x4353524E;
    static final int VERSION = 1;

    private RunFile() {
    }

    static void write(VectorRun run, OutputStream target) throws IOException {
        CRC32C crc = new CRC32C();
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new CheckedOutputStream(target, crc), 1 << 16));
        int count = run.count();
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeLong(run.id);
        out.writeInt(run.dimension);
        out.writeInt(run.capacity);
        out.writeInt(count);
        out.writeByte(run.keepsFloats() ? 1 : 0);
        RunCodes.Kind kind = run.codes() == null ? null : run.codes().kind();
        out.writeByte(kind == null ? -1 : kind.ordinal());
        for (int slot = 0; slot < count; slot++) {
            writeString(out, run.id(slot));
            out.writeLong(run.offset(slot));
            writeMap(out, run.fields(slot));
            HitPayload payload = run.payload(slot);
            writeString(out, payload.modality().name());
            writeMap(out, payload.metadata());
            writeString(out, payload.text());
            out.writeInt(payload.labels().size());
            for (Tag label : payload.labels()) {
                writeString(out, label.label());
                out.writeFloat(label.score());
            }
        }
        if (run.keepsFloats()) {
            ByteBuffer block = ByteBuffer.allocate(run.dimension * Float.BYTES);
            for (int slot = 0; slot < count; slot++) {
                block.clear();
                block.asFloatBuffer().put(run.floats(slot));
                out.write(block.array());
            }
        }
        if (run.codes() != null) {
            run.codes().write(out, count);
        }
        out.flush();
        // The checksum covers everything above and is not part of itself.
        new DataOutputStream(target).writeLong(crc.getValue());
    }

    /**
     * @param expected what the manifest says the run is: its id, count and shape must match
     * @throws CorruptStateException if the bytes are not a whole, matching run file
     */
    static VectorRun read(byte[] bytes, long expectedId, int expectedCount, int capacity, int dimension,
                          boolean keepFloats, RunCodes.Kind expectedKind, String fileName) throws CorruptStateException {
        if (bytes.length < 8) {
            throw new CorruptStateException("run file " + fileName + " is " + bytes.length + " bytes: truncated");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - Long.BYTES);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (crc.getValue() != in.getLong(bytes.length - Long.BYTES)) {
            throw new CorruptStateException("run file " + fileName + " fails its checksum: the file is damaged or truncated");
        }
        try {
            if (in.getInt() != MAGIC || in.getInt() != VERSION) {
                throw new CorruptStateException("run file " + fileName + " is not a version " + VERSION + " run file");
            }
            long id = in.getLong();
            int fileDimension = in.getInt();
            int fileCapacity = in.getInt();
            int count = in.getInt();
            boolean floats = in.get() == 1;
            byte kindByte = in.get();
            RunCodes.Kind kind = kindByte < 0 ? null : RunCodes.Kind.values()[kindByte];
            if (id != expectedId || count != expectedCount || fileDimension != dimension || fileCapacity != capacity
                    || floats != keepFloats || kind != expectedKind) {
                throw new CorruptStateException("run file " + fileName + " holds run " + id + " (" + count + " of "
                        + fileCapacity + " slots, dimension " + fileDimension + ", float32 " + floats + ", codes " + kind
                        + "); the manifest expects run " + expectedId + " (" + expectedCount + " of " + capacity
                        + " slots, dimension " + dimension + ", float32 " + keepFloats + ", codes " + expectedKind + ")");
            }
            String[] ids = new String[count];
            long[] offsets = new long[count];
            @SuppressWarnings("unchecked")
            Map<String, String>[] fields = (Map<String, String>[]) new Map<?, ?>[count];
            HitPayload[] payloads = new HitPayload[count];
            for (int slot = 0; slot < count; slot++) {
                ids[slot] = readString(in);
                offsets[slot] = in.getLong();
                fields[slot] = readMap(in);
                Modality modality = Modality.valueOf(readString(in));
                Map<String, String> metadata = readMap(in);
                String text = readString(in);
                int labelCount = in.getInt();
                List<Tag> labels = new ArrayList<>(labelCount);
                for (int i = 0; i < labelCount; i++) {
                    labels.add(new Tag(readString(in), in.getFloat()));
                }
                payloads[slot] = new HitPayload(modality, metadata, text, labels);
            }
            float[][] vectors = null;
            if (floats) {
                vectors = new float[count][];
                for (int slot = 0; slot < count; slot++) {
                    vectors[slot] = new float[dimension];
                    in.asFloatBuffer().get(vectors[slot]);
                    in.position(in.position() + dimension * Float.BYTES);
                }
            }
            RunCodes codes = kind == null ? null : kind.read(in, dimension, count);
            if (in.position() != bytes.length - Long.BYTES) {
                throw new CorruptStateException("run file " + fileName + " has " + (bytes.length - Long.BYTES - in.position())
                        + " bytes left over after its last block");
            }
            return new VectorRun(id, capacity, dimension, ids, offsets, fields, payloads, vectors, codes, fileName);
        } catch (RuntimeException e) {
            throw new CorruptStateException("run file " + fileName + " cannot be read: " + e, e);
        }
    }


    private static void writeString(DataOutputStream out, String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String readString(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0) {
            return null;
        }
        String value = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return value;
    }

    private static void writeMap(DataOutputStream out, Map<String, String> map) throws IOException {
        out.writeInt(map.size());
        for (Map.Entry<String, String> entry : map.entrySet()) {
            writeString(out, entry.getKey());
            writeString(out, entry.getValue());
        }
    }

    private static Map<String, String> readMap(ByteBuffer in) {
        int size = in.getInt();
        Map<String, String> map = new LinkedHashMap<>(Math.max(4, size * 2));
        for (int i = 0; i < size; i++) {
            map.put(readString(in), readString(in));
        }
        return Map.copyOf(map);
    }
}
