package io.clipstream.topology;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
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
        // Written straight into an array of the exact size: images are large, and each copy of one costs.
        byte[] topic = sourceTopic.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (topic.length > 65535) {
            throw new IllegalArgumentException("topic name over 65535 bytes: " + sourceTopic);
        }
        int size = 1 + 2 + topic.length + 4 + 8 + 8 + 4 + (key == null ? 0 : key.length) + 4 + (value == null ? 0 : value.length);
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(size);
        out.put(VERSION);
        out.putShort((short) topic.length);
        out.put(topic);
        out.putInt(sourcePartition);
        out.putLong(sourceOffset);
        out.putLong(timestamp);
        putBytes(out, key);
        putBytes(out, value);
        return out.array();
    }

    private static void putBytes(java.nio.ByteBuffer out, byte[] data) {
        out.putInt(data == null ? -1 : data.length);
        if (data != null) {
            out.put(data);
        }
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
