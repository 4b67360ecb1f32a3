package io.clipstream.topology;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class PendingItemTest {

    /** Version 1 as the first release wrote it (DataOutputStream), which buffers restored after an upgrade hold. */
    static byte[] writtenByVersionOne(PendingItem item) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(1);
            out.writeUTF(item.sourceTopic());
            out.writeInt(item.sourcePartition());
            out.writeLong(item.sourceOffset());
            out.writeLong(item.timestamp());
            for (byte[] data : new byte[][]{item.key(), item.value()}) {
                out.writeInt(data == null ? -1 : data.length);
                if (data != null) {
                    out.write(data);
                }
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void theEncodingIsByteForByteVersionOneAndReadsBack() throws Exception {
        PendingItem item = new PendingItem("media.images", 3, 1234567890123L, 1700000000000L,
                "item-é".getBytes(StandardCharsets.UTF_8), new byte[]{(byte) 0x89, 'P', 'N', 'G', 0, 1, 2});
        assertArrayEquals(writtenByVersionOne(item), item.toBytes());
        PendingItem read = PendingItem.fromBytes(writtenByVersionOne(item));
        assertEquals("media.images", read.sourceTopic());
        assertEquals(3, read.sourcePartition());
        assertEquals(1234567890123L, read.sourceOffset());
        assertEquals(1700000000000L, read.timestamp());
        assertArrayEquals(item.key(), read.key());
        assertArrayEquals(item.value(), read.value());

        PendingItem empty = new PendingItem("t", 0, 0, 0, new byte[0], null);
        assertArrayEquals(writtenByVersionOne(empty), empty.toBytes());
        assertNull(PendingItem.fromBytes(empty.toBytes()).value());
    }
}
