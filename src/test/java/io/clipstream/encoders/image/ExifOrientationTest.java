package io.clipstream.encoders.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class ExifOrientationTest {

    /** A TIFF structure with IFD0 holding one orientation entry, in the given byte order. */
    private static byte[] tiff(ByteOrder order, int type, int value) {
        ByteBuffer b = ByteBuffer.allocate(26).order(order);
        b.put(order == ByteOrder.LITTLE_ENDIAN ? new byte[] {'I', 'I'} : new byte[] {'M', 'M'});
        b.putShort((short) 42).putInt(8);
        b.putShort((short) 1); // one entry
        b.putShort((short) 0x0112).putShort((short) type).putInt(1);
        if (type == 3) {
            b.putShort((short) value).putShort((short) 0);
        } else {
            b.putInt(value);
        }
        b.putInt(0);
        return b.array();
    }

    @Test
    void readsBothByteOrdersAndShortOrLongValues() {
        for (int o = 1; o <= 8; o++) {
            byte[] le = tiff(ByteOrder.LITTLE_ENDIAN, 3, o);
            byte[] be = tiff(ByteOrder.BIG_ENDIAN, 3, o);
            assertEquals(o, ExifOrientation.parse(le, 0, le.length));
            assertEquals(o, ExifOrientation.parse(be, 0, be.length));
        }
        byte[] asLong = tiff(ByteOrder.BIG_ENDIAN, 4, 6);
        assertEquals(6, ExifOrientation.parse(asLong, 0, asLong.length));
    }

    @Test
    void anythingUnreadableMeansAsStored() {
        assertEquals(1, ExifOrientation.parse(tiff(ByteOrder.BIG_ENDIAN, 3, 9), 0, 26), "out of range");
        assertEquals(1, ExifOrientation.parse(tiff(ByteOrder.BIG_ENDIAN, 2, 6), 0, 26), "wrong type");
        byte[] t = tiff(ByteOrder.LITTLE_ENDIAN, 3, 6);
        assertEquals(1, ExifOrientation.parse(t, 0, 15), "entry cut off");
        t[4] = (byte) 0xF0; // IFD offset far outside
        assertEquals(1, ExifOrientation.parse(t, 0, t.length));
        byte[] garbage = {'X', 'X', 0, 42, 0, 0, 0, 8};
        assertEquals(1, ExifOrientation.parse(garbage, 0, garbage.length));
        assertEquals(1, ExifOrientation.parse(new byte[3], 0, 3));
    }

    @Test
    void transposesLikePillow() {
        // 3x2 image:  a b c
        //             d e f
        RgbPixels in = new RgbPixels(3, 2, new int[] {'a', 'b', 'c', 'd', 'e', 'f'});
        assertArrayEquals(new int[] {'a', 'b', 'c', 'd', 'e', 'f'}, ExifOrientation.apply(in, 1).data);
        assertArrayEquals(new int[] {'c', 'b', 'a', 'f', 'e', 'd'}, ExifOrientation.apply(in, 2).data); // FLIP_LEFT_RIGHT
        assertArrayEquals(new int[] {'f', 'e', 'd', 'c', 'b', 'a'}, ExifOrientation.apply(in, 3).data); // ROTATE_180
        assertArrayEquals(new int[] {'d', 'e', 'f', 'a', 'b', 'c'}, ExifOrientation.apply(in, 4).data); // FLIP_TOP_BOTTOM
        assertArrayEquals(new int[] {'a', 'd', 'b', 'e', 'c', 'f'}, ExifOrientation.apply(in, 5).data); // TRANSPOSE
        assertArrayEquals(new int[] {'d', 'a', 'e', 'b', 'f', 'c'}, ExifOrientation.apply(in, 6).data); // ROTATE_270 (cw)
        assertArrayEquals(new int[] {'f', 'c', 'e', 'b', 'd', 'a'}, ExifOrientation.apply(in, 7).data); // TRANSVERSE
        assertArrayEquals(new int[] {'c', 'f', 'b', 'e', 'a', 'd'}, ExifOrientation.apply(in, 8).data); // ROTATE_90 (ccw)
        assertEquals(2, ExifOrientation.apply(in, 6).width);
        assertEquals(3, ExifOrientation.apply(in, 6).height);
    }

    @Test
    void jpegFixturesCarryTheOrientationsTheScriptWrote() {
        // jpeg_exif6 has Pillow's big-endian EXIF, jpeg_exif3/8 hand-made little-endian ones.
        assertEquals(6, JpegStructure.parse(Fixtures.image("jpeg_exif6.jpg")).orientation());
        assertEquals(3, JpegStructure.parse(Fixtures.image("jpeg_exif3.jpg")).orientation());
        assertEquals(8, JpegStructure.parse(Fixtures.image("jpeg_exif8.jpg")).orientation());
        assertEquals(1, JpegStructure.parse(Fixtures.image("jpeg_420.jpg")).orientation());
    }
}
