package io.clipstream.encoders.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Java pipeline (decode, resize + centre crop, normalise) against Pillow's reference outputs
 * written by scripts/make_preprocess_fixtures.py, for every fixture image.
 *
 * <p>Measured (normalised units, CLIP mean/std, 224x224, Pillow 9.4 reference): all 28 fixtures
 * have mean |d| = 0.000000 and max |d| = 0.000000, i.e. bit-identical uint8 pixels after resize +
 * crop. JPEGs match because the JDK's libjpeg and Pillow's libjpeg-turbo share the islow IDCT and
 * the 4:2:x fancy upsampling, the colour conversion here is libjpeg's, and 4:4:0 chroma is
 * re-interpolated like libjpeg-turbo (jpeg_440: max 0.82 without that step); WebP matches because
 * it is decoded by native libwebp, Pillow's own decoder, not by TwelveMonkeys (3.15.0: mean 0.0122,
 * max 0.597 on webp_lossy; issue 19). The brief's bound (mean 0.01, max 0.05) is asserted for all; the
 * tests below assert exactness, which holds.
 */
class PreprocessParityTest {

    private static final double MAX_MEAN_ABS = 0.01;
    private static final double MAX_ABS = 0.05;

    private final ImageDecoder decoder = new ImageDecoder(DecodeLimits.DEFAULT);
    private final ClipImagePreprocessor preprocessor = new ClipImagePreprocessor(ImagePreprocessing.clip(224));

    @Test
    void tensorsMatchPillowReferenceForEveryFixture() {
        List<String> failures = new ArrayList<>();
        StringBuilder table = new StringBuilder(String.format("%-22s %10s %10s%n", "fixture", "mean|d|", "max|d|"));
        for (String name : Fixtures.names()) {
            float[] ours = preprocessor.toTensor(decoder.decode(Fixtures.image(name), name));
            float[] reference = normalise(Fixtures.pilExpected(name));
            assertEquals(reference.length, ours.length);
            double sum = 0;
            double max = 0;
            for (int i = 0; i < ours.length; i++) {
                double d = Math.abs(ours[i] - reference[i]);
                sum += d;
                max = Math.max(max, d);
            }
            double mean = sum / ours.length;
            table.append(String.format("%-22s %10.6f %10.6f%n", name, mean, max));
            if (mean > MAX_MEAN_ABS || max > MAX_ABS) {
                failures.add(name);
            }
        }
        System.out.print(table);
        assertTrue(failures.isEmpty(), "over mean " + MAX_MEAN_ABS + " / max " + MAX_ABS + ": " + failures + "\n" + table);
    }

    @Test
    void resizedAndCroppedPixelsAreBitIdenticalForEveryFixture() {
        // Identical decoded pixels and a faithful port of Pillow's resampler leave no room for any
        // difference, not even one level; this holds for the lossy formats too.
        for (String name : Fixtures.names()) {
            RgbPixels ours = preprocessor.resizeAndCrop(decoder.decodePixels(Fixtures.image(name), name));
            assertEquals(0, Fixtures.maxDiff(ours, Fixtures.pilExpected(name)), name);
        }
    }

    @Test
    void decodedPixelsMatchPillowBeforeResizing() {
        // Isolates the decoder from the resampler: full-size RGB after EXIF transpose and alpha
        // compositing, compared with Pillow's load_rgb.
        StringBuilder report = new StringBuilder();
        List<String> different = new ArrayList<>();
        for (String name : Fixtures.names()) {
            int max = Fixtures.maxDiff(decoder.decodePixels(Fixtures.image(name), name), Fixtures.pilDecoded(name));
            report.append(String.format("%-22s decoded max |d| %d%n", name, max));
            if (max != 0) {
                different.add(name);
            }
        }
        System.out.print(report);
        assertTrue(different.isEmpty(), "decoded pixels differ from Pillow: " + different + "\n" + report);
    }

    /** The reference side of the comparison: (v / 255 - mean) / std in double, per channel, CHW. */
    private static float[] normalise(RgbPixels image) {
        float[] mean = ImagePreprocessing.CLIP_MEAN;
        float[] std = ImagePreprocessing.CLIP_STD;
        int plane = image.width * image.height;
        float[] out = new float[3 * plane];
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < 3; c++) {
                int v = Fixtures.channel(image.data[i], c);
                out[c * plane + i] = (float) ((v / 255.0 - mean[c]) / std[c]);
            }
        }
        return out;
    }
}
