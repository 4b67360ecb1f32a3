package io.clipstream.encoders.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ClipImagePreprocessorTest {

    private final ClipImagePreprocessor clip224 = new ClipImagePreprocessor(ImagePreprocessing.clip(224));

    @Test
    void resizedSizeTruncatesLikePythonInt() {
        assertArrayEquals(new int[] {313, 224}, ClipImagePreprocessor.resizedSize(7, 5, 224));   // 313.6
        assertArrayEquals(new int[] {3360, 224}, ClipImagePreprocessor.resizedSize(900, 60, 224));
        assertArrayEquals(new int[] {224, 298}, ClipImagePreprocessor.resizedSize(400, 533, 224)); // 298.48
        assertArrayEquals(new int[] {224, 224}, ClipImagePreprocessor.resizedSize(50, 50, 224));
        assertArrayEquals(new int[] {224, 1045}, ClipImagePreprocessor.resizedSize(150, 700, 224)); // 1045.33
    }

    @Test
    void aCropLargerThanTheResizedImageIsPaddedWithBlackCentredLikeHuggingFace() {
        // shortest edge 4, crop 6x6: a 4x4 constant image lands at rows/columns 1..4.
        ClipImagePreprocessor pad = new ClipImagePreprocessor(
                new ImagePreprocessing(4, 6, 6, ImagePreprocessing.CLIP_MEAN, ImagePreprocessing.CLIP_STD));
        int[] grey = new int[16];
        Arrays.fill(grey, 0x808080);
        RgbPixels out = pad.resizeAndCrop(new RgbPixels(4, 4, grey));
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 6; x++) {
                boolean inside = x >= 1 && x <= 4 && y >= 1 && y <= 4;
                assertEquals(inside ? 0x808080 : 0, out.data[y * 6 + x], x + "," + y);
            }
        }
        // Odd padding: top = (4 - 5) // 2 = -1 and HF's top_pad = ceil(1 / 2) = 1 agree: the one
        // black row and column are at the top and left, none at the bottom and right.
        ClipImagePreprocessor odd = new ClipImagePreprocessor(
                new ImagePreprocessing(4, 5, 5, ImagePreprocessing.CLIP_MEAN, ImagePreprocessing.CLIP_STD));
        RgbPixels five = odd.resizeAndCrop(new RgbPixels(4, 4, grey));
        assertEquals(0, five.data[0]);
        assertEquals(0, five.data[4]);
        assertEquals(0, five.data[4 * 5]);
        assertEquals(0x808080, five.data[5 + 1]);
        assertEquals(0x808080, five.data[4 * 5 + 4]);
    }

    @Test
    void writesChwFloatsAtAnOffsetWithoutTouchingTheRest() {
        int[] pixels = new int[224 * 224];
        Arrays.fill(pixels, 0xFF8000); // R 255, G 128, B 0
        BufferedImage cropped = new RgbPixels(224, 224, pixels).toImage();
        float[] batch = new float[2 * clip224.tensorLength() + 3];
        Arrays.fill(batch, 42f);
        int offset = clip224.tensorLength() + 3;
        clip224.writeTensor(cropped, batch, offset);
        int plane = 224 * 224;
        float r = (float) ((255 / 255.0 - 0.48145466f) / 0.26862954f);
        float g = (float) ((128 / 255.0 - 0.4578275f) / 0.26130258f);
        float b = (float) ((0 / 255.0 - 0.40821073f) / 0.27577711f);
        assertEquals(42f, batch[offset - 1]);
        assertEquals(r, batch[offset], 1e-6);
        assertEquals(r, batch[offset + plane - 1], 1e-6);
        assertEquals(g, batch[offset + plane], 1e-6);
        assertEquals(b, batch[offset + 2 * plane], 1e-6);
        assertEquals(b, batch[offset + 3 * plane - 1], 1e-6);
        assertEquals(42f, batch[0]);
    }

    @Test
    void toTensorIsResizeCropAndWrite() {
        BufferedImage decoded = Fixtures.pilDecoded("jpeg_444.jpg").toImage();
        float[] expected = new float[clip224.tensorLength()];
        clip224.writeTensor(clip224.resizeAndCrop(decoded), expected, 0);
        assertArrayEquals(expected, clip224.toTensor(decoded));
        assertEquals(BufferedImage.TYPE_INT_RGB, clip224.resizeAndCrop(decoded).getType());
    }

    @Test
    void refusesWrongSizesAndShortBuffers() {
        BufferedImage small = new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB);
        assertThrows(IllegalArgumentException.class, () -> clip224.writeTensor(small, new float[clip224.tensorLength()], 0));
        BufferedImage right = new BufferedImage(224, 224, BufferedImage.TYPE_INT_RGB);
        assertThrows(IllegalArgumentException.class, () -> clip224.writeTensor(right, new float[clip224.tensorLength()], 1));
    }

    @Test
    void acceptsImagesOfAnyTypeByTheirRgb() {
        BufferedImage argb = new BufferedImage(300, 200, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(150, 100, 0xFF336699);
        BufferedImage rgb = new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(150, 100, 0x336699);
        assertArrayEquals(clip224.toTensor(rgb), clip224.toTensor(argb));
    }
}
