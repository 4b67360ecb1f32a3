package io.clipstream.topology;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A record waiting for its embedding batch, with what is needed to dead-letter it later: where it
 * came from and its original bytes. Stored in the changelogged buffer, so its encoding is
 * versioned.
 */
public record PendingItem(String sourceTopic, int sourcePartition, long sourceOffset, long timestamp, byte[] key,
                          byte[] value) {

    private static final byte VERSION = 1;

    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length + 64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeUTF(sourceTopic);
            out.writeInt(sourcePartition);
            out.writeLong(sourceOffset);
            out.writeLong(timestamp);
            writeBytes(out, key);
            writeBytes(out, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static PendingItem fromBytes(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalStateException("pending-item version " + version + " is not known; was the buffer written "
                        + "by a newer clipstream? Roll forward or reset the embedder's buffer store");
            }
            return new PendingItem(in.readUTF(), in.readInt(), in.readLong(), in.readLong(), readBytes(in), readBytes(in));
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt pending item in the embedder buffer", e);
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] data) throws IOException {
        out.writeInt(data == null ? -1 : data.length);
        if (data != null) {
            out.write(data);
        }
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] data = new byte[length];
        in.readFully(data);
        return data;
    }
}
