package io.clipstream.explain;

/**
 * Heat-map colours: intensity 0 is a faint blue, 0.25 cyan, 0.5 green, 0.75 yellow, 1 an opaque-ish
 * red. Alpha grows with intensity from {@link #MIN_ALPHA} to {@link #MAX_ALPHA}, so weak matches
 * leave the image readable and the strong ones cover it.
 */
public final class ColourRamp {

    static final float MIN_ALPHA = 0.10f;
    static final float MAX_ALPHA = 0.70f;

    private static final float[][] STOPS = {
            {0.00f, 0, 0, 255},
            {0.25f, 0, 200, 255},
            {0.50f, 0, 220, 0},
            {0.75f, 255, 230, 0},
            {1.00f, 255, 0, 0},
    };

    private ColourRamp() {
    }

    /** Non-premultiplied ARGB for an intensity in [0, 1] (clamped). */
    public static int argb(float intensity) {
        float t = Math.max(0f, Math.min(1f, intensity));
        int i = 1;
        while (i < STOPS.length - 1 && t > STOPS[i][0]) {
            i++;
        }
        float[] lo = STOPS[i - 1];
        float[] hi = STOPS[i];
        float f = (t - lo[0]) / (hi[0] - lo[0]);
        int r = Math.round(lo[1] + (hi[1] - lo[1]) * f);
        int g = Math.round(lo[2] + (hi[2] - lo[2]) * f);
        int b = Math.round(lo[3] + (hi[3] - lo[3]) * f);
        int a = Math.round(255 * (MIN_ALPHA + (MAX_ALPHA - MIN_ALPHA) * t));
        return a << 24 | r << 16 | g << 8 | b;
    }
}
