package io.clipstream.tools.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Rows of float32 vectors as the benchmarks exchange them with the Python references: raw little-endian float32,
 * {@code dimension} per row, no header. Also the seeded data sets the benchmark generates.
 */
public final class FloatRows {

    private FloatRows() {
    }

    public static float[][] read(Path file, int dimension) throws IOException {
        long bytes = Files.size(file);
        long rowBytes = (long) dimension * Float.BYTES;
        if (bytes % rowBytes != 0) {
            throw new IOException(file + " holds " + bytes + " bytes, not a whole number of rows of " + dimension
                    + " float32 (" + rowBytes + " bytes): check --dim and that the file is raw little-endian float32");
        }
        float[][] rows = new float[(int) (bytes / rowBytes)][];
        byte[] buffer = new byte[(int) rowBytes];
        try (InputStream in = Files.newInputStream(file)) {
            for (int r = 0; r < rows.length; r++) {
                in.readNBytes(buffer, 0, buffer.length);
                float[] row = new float[dimension];
                ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(row);
                rows[r] = row;
            }
        }
        return rows;
    }

    public static void write(Path file, float[][] rows) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            ByteBuffer buffer = ByteBuffer.allocate(rows.length == 0 ? 0 : rows[0].length * Float.BYTES)
                    .order(ByteOrder.LITTLE_ENDIAN);
            for (float[] row : rows) {
                buffer.clear();
                buffer.asFloatBuffer().put(row);
                out.write(buffer.array());
            }
        }
    }

    /** Independent Gaussian directions: the hardest case for a graph (no structure to exploit). */
    public static float[][] randomUnit(Random random, int count, int dimension) {
        float[][] rows = new float[count][];
        for (int i = 0; i < count; i++) {
            rows[i] = randomUnit(random, dimension);
        }
        return rows;
    }

    /** One Gaussian direction, normalised. */
    public static float[] randomUnit(Random random, int dimension) {
        float[] row = new float[dimension];
        for (int d = 0; d < dimension; d++) {
            row[d] = (float) random.nextGaussian();
        }
        return normalise(row);
    }

    /**
     * A Gaussian mixture on the sphere, closer to real embeddings: {@code centres} random unit centres, each row a
     * centre plus isotropic noise of total norm about {@code spread}, normalised. The centres come from {@code seed}
     * alone, so vectors and queries drawn with different generators share them.
     */
    public static float[][] clustered(long seed, Random random, int count, int dimension, int centres, double spread) {
        float[][] centre = randomUnit(new Random(seed), centres, dimension);
        double scale = spread / Math.sqrt(dimension);
        float[][] rows = new float[count][];
        for (int i = 0; i < count; i++) {
            float[] c = centre[random.nextInt(centres)];
            float[] row = new float[dimension];
            for (int d = 0; d < dimension; d++) {
                row[d] = (float) (c[d] + scale * random.nextGaussian());
            }
            rows[i] = normalise(row);
        }
        return rows;
    }

    static float[] normalise(float[] row) {
        double norm = 0;
        for (float v : row) {
            norm += (double) v * v;
        }
        float inverse = (float) (1.0 / Math.sqrt(norm));
        for (int d = 0; d < row.length; d++) {
            row[d] *= inverse;
        }
        return row;
    }
}
