package io.clipstream.serde;

import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The primitive reader against Avro's decoder, on arbitrary bytes: the same value, or a refusal from both. */
class AvroBinaryInputTest {

    @Test
    void varintsReadAsAvroReadsThem() {
        Random random = new Random(3);
        for (int i = 0; i < 100_000; i++) {
            byte[] bytes = new byte[1 + random.nextInt(12)];
            for (int b = 0; b < bytes.length; b++) {
                // Mostly continuation bytes, so that long and over-long varints come up often.
                bytes[b] = (byte) (random.nextInt(4) == 0 ? random.nextInt(128) : 128 + random.nextInt(128));
            }
            assertSame(avroInt(bytes), ourInt(bytes), bytes);
            assertSame(avroLong(bytes), ourLong(bytes), bytes);
        }
    }

    @Test
    void lengthsAndCountsBeyondTheBytesLeftAreRefusedBeforeAllocating() throws IOException {
        // A string claiming 2^40 bytes, and an array block claiming 2^40 floats, in a 7-byte record.
        byte[] huge = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x40, 0};
        assertThrows(IOException.class, () -> new AvroBinaryInput(huge, 0).readString());
        assertThrows(IOException.class, () -> new AvroBinaryInput(huge, 0).readBlockCount(Float.BYTES));
        assertThrows(IOException.class, () -> new AvroBinaryInput(new byte[]{1, 0}, 0).readString(), "negative length");
        // A negative count is followed by the block's size in bytes, skipped.
        AvroBinaryInput block = new AvroBinaryInput(new byte[]{3, 16, 0, 0, (byte) 0x80, 0x3F, 0, 0, 0, 0x40}, 0);
        assertEquals(2, block.readBlockCount(Float.BYTES));
        float[] floats = new float[2];
        block.readFloats(floats, 0, 2);
        assertEquals(1f, floats[0]);
        assertEquals(2f, floats[1]);
        assertTrue(block.isEnd());
    }

    @Test
    void aRecordThatEndsInsideAValueSaysWhatItWasShortOf() {
        // A string claiming 5 bytes with 2 left; 3 floats wanted with 8 bytes left.
        IOException string = assertThrows(IOException.class, () -> new AvroBinaryInput(new byte[]{10, 'a', 'b'}, 0).readString());
        assertEquals("record ends at byte 3, 3 bytes short of a string of 5 bytes at byte 1", string.getMessage());
        IOException floats = assertThrows(IOException.class,
                () -> new AvroBinaryInput(new byte[8], 0).readFloats(new float[3], 0, 3));
        assertEquals("record ends at byte 8, 4 bytes short of 3 floats at byte 0", floats.getMessage());
    }

    private static void assertSame(Object avro, Object ours, byte[] bytes) {
        assertEquals(avro, ours, () -> java.util.HexFormat.ofDelimiter(" ").formatHex(bytes));
    }

    private static Object avroInt(byte[] bytes) {
        try {
            return avroDecoder(bytes).readInt();
        } catch (IOException | RuntimeException e) {
            return "refused";
        }
    }

    private static Object avroLong(byte[] bytes) {
        try {
            return avroDecoder(bytes).readLong();
        } catch (IOException | RuntimeException e) {
            return "refused";
        }
    }

    private static Object ourInt(byte[] bytes) {
        try {
            return new AvroBinaryInput(bytes, 0).readInt();
        } catch (IOException e) {
            return "refused";
        }
    }

    private static Object ourLong(byte[] bytes) {
        try {
            return new AvroBinaryInput(bytes, 0).readLong();
        } catch (IOException e) {
            return "refused";
        }
    }

    private static BinaryDecoder avroDecoder(byte[] bytes) {
        return DecoderFactory.get().binaryDecoder(bytes, null);
    }
}
