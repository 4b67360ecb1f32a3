package io.clipstream.tools.bench;

import io.clipstream.encoders.PreparedImage;
import io.clipstream.encoders.text.TokenizedText;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The file layout that scripts/bench_torch.py's read_inputs() expects. */
class TorchInputsFileTest {

    @TempDir
    Path dir;

    @Test
    void writesIdsThenPixelsLittleEndianAfterTheMagic() throws Exception {
        float[] first = new float[3 * 2 * 2];
        float[] second = new float[3 * 2 * 2];
        for (int i = 0; i < first.length; i++) {
            first[i] = i * 0.5f;
            second[i] = -i;
        }
        BenchInputs inputs = new BenchInputs(List.of("a cat", "two dogs"),
                List.of(new TokenizedText(new long[]{49406, 320, 2368, 49407}, false),
                        new TokenizedText(new long[]{49406, 1237, 49407}, false)),
                List.of(new BenchImage("x.png", new byte[]{1})), List.of(new PreparedImage(first, 5, 7), new PreparedImage(second, 9, 9)),
                49407, 2, 2);
        Path file = dir.resolve("inputs.bin");
        TorchInputsFile.write(file, inputs);

        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[8];
        in.get(magic);
        assertArrayEquals(TorchInputsFile.MAGIC, magic);
        assertEquals(49407, in.getInt());
        assertEquals(2, in.getInt());
        assertArrayEquals(new long[]{49406, 320, 2368, 49407}, longs(in, in.getInt()));
        assertArrayEquals(new long[]{49406, 1237, 49407}, longs(in, in.getInt()));
        assertEquals(2, in.getInt(), "images");
        assertEquals(3, in.getInt(), "channels");
        assertEquals(2, in.getInt(), "height");
        assertEquals(2, in.getInt(), "width");
        assertArrayEquals(first, floats(in, first.length));
        assertArrayEquals(second, floats(in, second.length));
        assertFalse(in.hasRemaining(), "nothing after the last image");
    }

    @Test
    void refusesAnImageOfTheWrongSizeNamingBothSizes() {
        BenchInputs inputs = new BenchInputs(List.of("x"), List.of(new TokenizedText(new long[]{49406, 49407}, false)),
                List.of(new BenchImage("x.png", new byte[]{1})), List.of(new PreparedImage(new float[5], 1, 1)), 49407, 2, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TorchInputsFile.write(dir.resolve("bad.bin"), inputs));
        assertEquals("a prepared image has 5 values, expected 12 (3 x 2 x 2)", e.getMessage());
    }

    private static long[] longs(ByteBuffer in, int n) {
        long[] values = new long[n];
        Arrays.setAll(values, i -> in.getLong());
        return values;
    }

    private static float[] floats(ByteBuffer in, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = in.getFloat();
        }
        return values;
    }
}
