package io.clipstream.tools.bench;

import io.clipstream.encoders.PreparedImage;
import io.clipstream.encoders.text.TokenizedText;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes the token ids and preprocessed pixels that clipstream measured, for
 * {@code scripts/bench_torch.py} to time torch on the same inputs. Layout (little-endian):
 * magic {@code CSBENCH1}; int32 pad id; int32 text count, then per text int32 n and n int64 ids;
 * int32 image count, channels, height, width, then the float32 CHW tensors.
 */
public final class TorchInputsFile {

    static final byte[] MAGIC = "CSBENCH1".getBytes(StandardCharsets.US_ASCII);
    private static final int CHUNK = 1 << 20;

    private TorchInputsFile() {
    }

    public static void write(Path file, BenchInputs inputs) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            buffer.put(MAGIC);
            buffer.putInt(Math.toIntExact(inputs.padId()));
            buffer.putInt(inputs.tokens().size());
            for (TokenizedText text : inputs.tokens()) {
                ensure(channel, buffer, 4 + 8 * text.ids().length);
                buffer.putInt(text.ids().length);
                for (long id : text.ids()) {
                    buffer.putLong(id);
                }
            }
            ensure(channel, buffer, 16);
            buffer.putInt(inputs.pixels().size()).putInt(3).putInt(inputs.imageHeight()).putInt(inputs.imageWidth());
            int perImage = 3 * inputs.imageHeight() * inputs.imageWidth();
            for (PreparedImage image : inputs.pixels()) {
                if (image.pixels().length != perImage) {
                    throw new IllegalArgumentException("a prepared image has " + image.pixels().length + " values, expected "
                            + perImage + " (3 x " + inputs.imageHeight() + " x " + inputs.imageWidth() + ")");
                }
                for (float v : image.pixels()) {
                    ensure(channel, buffer, 4);
                    buffer.putFloat(v);
                }
            }
            drain(channel, buffer);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the torch benchmark inputs to " + file + ": " + e.getMessage(), e);
        }
    }

    private static void ensure(FileChannel channel, ByteBuffer buffer, int bytes) throws IOException {
        if (bytes > buffer.capacity()) {
            throw new IllegalArgumentException("one record of " + bytes + " bytes does not fit the write buffer");
        }
        if (buffer.remaining() < bytes) {
            drain(channel, buffer);
        }
    }

    private static void drain(FileChannel channel, ByteBuffer buffer) throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }
}
