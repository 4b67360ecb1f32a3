package io.clipstream.encoders.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PilBicubicResamplerTest {

    private final ClipImagePreprocessor preprocessor = new ClipImagePreprocessor(ImagePreprocessing.clip(224));

    @Test
    void resizeAndCropOfPillowsDecodedPixelsIsBitIdenticalToPillow() {
        // Fed Pillow's own decoded pixels, the port must reproduce Image.resize(BICUBIC) + crop
        // exactly: downscales by 1.1x to 3.6x, the 7x5 upscale (x32) and the 900x60 strip.
        for (String name : Fixtures.names()) {
            RgbPixels ours = preprocessor.resizeAndCrop(Fixtures.pilDecoded(name));
            assertEquals(0, Fixtures.maxDiff(ours, Fixtures.pilExpected(name)), name);
        }
    }

    @Test
    void aWindowIsExactlyTheCropOfTheFullResize() {
        Random random = new Random(3);
        for (int trial = 0; trial < 40; trial++) {
            int srcW = 1 + random.nextInt(90);
            int srcH = 1 + random.nextInt(90);
            int dstW = 1 + random.nextInt(120);
            int dstH = 1 + random.nextInt(120);
            int[] src = new int[srcW * srcH];
            for (int i = 0; i < src.length; i++) {
                src[i] = random.nextInt(1 << 24);
            }
            int[] full = PilBicubicResampler.resizeRegion(src, srcW, srcH, dstW, dstH, 0, 0, dstW, dstH);
            int left = random.nextInt(dstW + 10) - 5;
            int top = random.nextInt(dstH + 10) - 5;
            int w = 1 + random.nextInt(dstW);
            int h = 1 + random.nextInt(dstH);
            int[] window = PilBicubicResampler.resizeRegion(src, srcW, srcH, dstW, dstH, left, top, w, h);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int fx = left + x;
                    int fy = top + y;
                    int expected = fx >= 0 && fy >= 0 && fx < dstW && fy < dstH ? full[fy * dstW + fx] : 0;
                    assertEquals(expected, window[y * w + x], "trial " + trial + " at " + x + "," + y);
                }
            }
        }
    }

    @Test
    void unchangedSizeIsACopyAndOneChangedAxisLeavesTheOtherAlone() {
        int[] src = new int[6 * 4];
        for (int i = 0; i < src.length; i++) {
            src[i] = i * 0x0A0B0C;
        }
        assertArrayEquals(src, PilBicubicResampler.resizeRegion(src, 6, 4, 6, 4, 0, 0, 6, 4));
        // A constant column stays constant when only the height changes.
        int[] columns = new int[5 * 3];
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 5; x++) {
                columns[y * 5 + x] = x * 0x303030;
            }
        }
        int[] taller = PilBicubicResampler.resizeRegion(columns, 5, 3, 5, 11, 0, 0, 5, 11);
        for (int y = 0; y < 11; y++) {
            for (int x = 0; x < 5; x++) {
                assertEquals(x * 0x303030, taller[y * 5 + x]);
            }
        }
    }

    @Test
    void fixedPointWeightsOfEachOutputSumToOne() {
        // normalize_coeffs_8bpc rounds each weight; the sum stays within a few units of 1 << 22.
        for (int[] sizes : new int[][] {{1000, 224}, {7, 313}, {60, 224}, {533, 298}}) {
            PilBicubicResampler.Coefficients c = PilBicubicResampler.Coefficients.bicubic(sizes[0], sizes[1], 0, sizes[1]);
            for (int i = 0; i < c.count(); i++) {
                long sum = 0;
                for (int k = 0; k < c.ksize(); k++) {
                    sum += c.weights()[i * c.ksize() + k];
                }
                assertEquals(1 << 22, sum, c.ksize(), sizes[0] + "->" + sizes[1] + " output " + i);
            }
        }
    }

    @Test
    void bufferedImageEntryPointAgreesWithTheArrayOne() {
        RgbPixels src = Fixtures.pilDecoded("tiny_7x5.png");
        BufferedImage resized = PilBicubicResampler.resize(src.toImage(), 20, 13);
        assertEquals(BufferedImage.TYPE_INT_RGB, resized.getType());
        assertArrayEquals(PilBicubicResampler.resizeRegion(src.data, 7, 5, 20, 13, 0, 0, 20, 13),
                RgbPixels.of(resized).data);
    }
}
