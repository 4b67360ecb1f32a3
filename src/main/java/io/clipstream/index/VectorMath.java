package io.clipstream.index;

/**
 * The arithmetic every index and every check shares, so that scores are bit-for-bit the same wherever they are
 * computed (ordering of near-ties depends on it).
 */
public final class VectorMath {

    /** How far a squared L2 norm may be from 1 and still count as normalised (float32 rounding is ~1e-6). */
    public static final double NORM_TOLERANCE = 1e-3;

    private VectorMath() {
    }

    /** The dot product of {@code a} and {@code length} floats of {@code b} starting at {@code bOffset}. */
    public static float dot(float[] a, float[] b, int bOffset, int length) {
        // Four independent sums let the CPU overlap the additions; a single running sum is one long dependency chain.
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        int i = 0;
        int end = length - 3;
        for (; i < end; i += 4) {
            s0 += a[i] * b[bOffset + i];
            s1 += a[i + 1] * b[bOffset + i + 1];
            s2 += a[i + 2] * b[bOffset + i + 2];
            s3 += a[i + 3] * b[bOffset + i + 3];
        }
        for (; i < length; i++) {
            s0 += a[i] * b[bOffset + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    public static float dot(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("dot product of vectors of length " + a.length + " and " + b.length);
        }
        return dot(a, b, 0, a.length);
    }

    /** @return the index of the first NaN or infinite component, or -1 if all are finite */
    public static int firstNonFinite(float[] vector) {
        for (int i = 0; i < vector.length; i++) {
            if (!Float.isFinite(vector[i])) {
                return i;
            }
        }
        return -1;
    }

    public static double squaredNorm(float[] vector) {
        // Four running sums: every record the stream indexes is checked, and one chain of dependent adds is 4x slower.
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < vector.length; i += 4) {
            s0 += (double) vector[i] * vector[i];
            s1 += (double) vector[i + 1] * vector[i + 1];
            s2 += (double) vector[i + 2] * vector[i + 2];
            s3 += (double) vector[i + 3] * vector[i + 3];
        }
        for (; i < vector.length; i++) {
            s0 += (double) vector[i] * vector[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    public static boolean isNormalised(float[] vector) {
        return Math.abs(squaredNorm(vector) - 1.0) <= NORM_TOLERANCE;
    }
}
