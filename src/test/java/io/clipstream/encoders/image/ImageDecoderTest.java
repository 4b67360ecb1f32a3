package io.clipstream.encoders.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.common.EncodingException;
import io.clipstream.common.EncodingException.Reason;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

class ImageDecoderTest {

    private final ImageDecoder decoder = new ImageDecoder(DecodeLimits.DEFAULT);

    private EncodingException refused(ImageDecoder d, byte[] bytes, String name, Reason reason) {
        EncodingException e = assertThrows(EncodingException.class, () -> d.decode(bytes, name));
        assertEquals(reason, e.reason(), e.getMessage());
        assertEquals(name, e.input());
        assertTrue(e.getMessage().startsWith(name + ": "), "message names the input: " + e.getMessage());
        return e;
    }

    @Test
    void decodesToIntRgb() {
        BufferedImage image = decoder.decode(Fixtures.image("png_rgb.png"), "png_rgb.png");
        assertEquals(BufferedImage.TYPE_INT_RGB, image.getType());
        assertEquals(512, image.getWidth());
        assertEquals(384, image.getHeight());
    }

    @Test
    void emptyAndNullBytesAreEmptyInput() {
        refused(decoder, new byte[0], "item-1", Reason.EMPTY_INPUT);
        refused(decoder, null, "item-2", Reason.EMPTY_INPUT);
    }

    @Test
    void bytesOverTheLimitAreRefusedBeforeAnythingElse() {
        ImageDecoder small = new ImageDecoder(new DecodeLimits(1000, 40_000_000));
        byte[] png = Fixtures.image("png_rgb.png");
        EncodingException e = refused(small, png, "big.png", Reason.IMAGE_TOO_LARGE);
        assertTrue(e.getMessage().contains("limit of 1000 bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("image.max.bytes"), e.getMessage());
    }

    @Test
    void pdfIsUnsupportedAndSaysSo() {
        byte[] pdf = "%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n".getBytes(StandardCharsets.ISO_8859_1);
        EncodingException e = refused(decoder, pdf, "invoice.pdf", Reason.UNSUPPORTED_FORMAT);
        assertTrue(e.getMessage().contains("a PDF document"), e.getMessage());
        assertTrue(e.getMessage().contains("JPEG, PNG, GIF, BMP or WebP"), e.getMessage());
    }

    @Test
    void textAndHtmlAreUnsupportedAndSaySo() {
        EncodingException text = refused(decoder, "just some words, no picture\n".getBytes(StandardCharsets.UTF_8),
                "notes.txt", Reason.UNSUPPORTED_FORMAT);
        assertTrue(text.getMessage().contains("plain text"), text.getMessage());
        EncodingException html = refused(decoder,
                "<!DOCTYPE html><html><body>404 Not Found</body></html>".getBytes(StandardCharsets.UTF_8),
                "https://example.com/cat.jpg", Reason.UNSUPPORTED_FORMAT);
        assertTrue(html.getMessage().contains("an HTML page"), html.getMessage());
    }

    @Test
    void randomGarbageIsUnsupported() {
        byte[] garbage = new byte[4096];
        new Random(7).nextBytes(garbage);
        garbage[0] = 0x13; // not the first byte of any signature
        EncodingException e = refused(decoder, garbage, "noise.bin", Reason.UNSUPPORTED_FORMAT);
        assertTrue(e.getMessage().contains("unknown format"), e.getMessage());
    }

    @Test
    void garbageBehindAValidSignatureIsCorrupt() {
        Random random = new Random(11);
        for (byte[] signature : new byte[][] {
            {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A},
            {'G', 'I', 'F', '8', '9', 'a'},
            {'R', 'I', 'F', 'F', 0x10, 0, 0, 0, 'W', 'E', 'B', 'P'},
            {'B', 'M'},
            {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF},
        }) {
            byte[] bytes = new byte[2048];
            random.nextBytes(bytes);
            System.arraycopy(signature, 0, bytes, 0, signature.length);
            refused(decoder, bytes, "garbage-" + (char) signature[1], Reason.CORRUPT_IMAGE);
        }
    }

    @Test
    void jpegCutInHalfIsCorrupt() {
        byte[] jpeg = Fixtures.image("jpeg_420.jpg");
        byte[] half = Arrays.copyOf(jpeg, jpeg.length / 2);
        EncodingException e = refused(decoder, half, "half.jpg", Reason.CORRUPT_IMAGE);
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void jpegWithMissingScanDataButAnEoiIsCorruptThroughTheReaderWarning() {
        // The marker walk is satisfied (an EOI follows the data), so only libjpeg's warning
        // ("premature end of data segment") can tell the picture is half grey.
        byte[] jpeg = Fixtures.image("jpeg_420.jpg");
        byte[] cut = Arrays.copyOf(jpeg, jpeg.length / 2 + 2);
        cut[cut.length - 2] = (byte) 0xFF;
        cut[cut.length - 1] = (byte) 0xD9;
        EncodingException e = refused(decoder, cut, "cut.jpg", Reason.CORRUPT_IMAGE);
        assertTrue(e.getMessage().toLowerCase().contains("premature end"), e.getMessage());
    }

    @Test
    void bmpShortOfPixelBytesIsCorrupt() {
        // 253 pixels x 3 bytes = 759 per row plus 1 byte of padding. The JDK reader would quietly
        // decode a shorter file; Pillow calls it truncated unless only the last padding is missing.
        byte[] bmp = Fixtures.image("bmp_rgb.bmp");
        EncodingException e = refused(decoder, Arrays.copyOf(bmp, bmp.length - 2), "short.bmp", Reason.CORRUPT_IMAGE);
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertEquals(253, decoder.decode(Arrays.copyOf(bmp, bmp.length - 1), "unpadded.bmp").getWidth());
        assertEquals(253, decoder.decode(bmp, "whole.bmp").getWidth());
    }

    @Test
    void arithmeticCodedJpegIsUnsupportedNotCorrupt() {
        byte[] jpeg = Fixtures.image("jpeg_444.jpg").clone();
        for (int i = 2; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xC0) {
                jpeg[i + 1] = (byte) 0xC9; // SOF0 -> SOF9: same frame, arithmetic coding
                break;
            }
        }
        EncodingException e = refused(decoder, jpeg, "arith.jpg", Reason.UNSUPPORTED_FORMAT);
        assertTrue(e.getMessage().contains("arithmetic-coded JPEG"), e.getMessage());
    }

    @Test
    void jpegSamplingIsReadFromTheFrameHeader() {
        JpegStructure s440 = JpegStructure.parse(Fixtures.image("jpeg_440.jpg"));
        assertArrayEquals(new boolean[] {false, true, true}, s440.halfHeightComponents());
        JpegStructure s420 = JpegStructure.parse(Fixtures.image("jpeg_420.jpg"));
        assertArrayEquals(new boolean[] {false, false, false}, s420.halfHeightComponents());
        assertEquals(0x22, s420.sampling()[0]);
        JpegStructure ycck = JpegStructure.parse(Fixtures.image("jpeg_ycck.jpg"));
        assertEquals(2, ycck.adobeTransform());
        assertEquals(PilColorConversion.JpegColorSpace.YCCK, PilColorConversion.jpegColorSpace(ycck, 4));
        assertEquals(PilColorConversion.JpegColorSpace.CMYK,
                PilColorConversion.jpegColorSpace(JpegStructure.parse(Fixtures.image("jpeg_cmyk.jpg")), 4));
    }

    @Test
    void jpegWithPaddingOrATrailerAfterEoiDecodes() {
        byte[] jpeg = Fixtures.image("jpeg_444.jpg");
        byte[] padded = Arrays.copyOf(jpeg, jpeg.length + 7); // zero padding
        assertEquals(400, decoder.decode(padded, "padded.jpg").getWidth());
        // A phone "motion photo" appends an MP4 after the JPEG's EOI.
        byte[] trailer = "....ftypmp42 pretend video data".getBytes(StandardCharsets.US_ASCII);
        byte[] motion = Arrays.copyOf(jpeg, jpeg.length + trailer.length);
        System.arraycopy(trailer, 0, motion, jpeg.length, trailer.length);
        assertEquals(400, decoder.decode(motion, "motion.jpg").getWidth());
    }

    @Test
    void pngDeclaring30000x30000IsRefusedBeforeDecodingAndTheLimitIsConfigurable() {
        byte[] png = pngWithShortData(30000, 30000);
        EncodingException e = refused(decoder, png, "bomb.png", Reason.IMAGE_TOO_LARGE);
        assertTrue(e.getMessage().contains("30000x30000"), e.getMessage());
        assertTrue(e.getMessage().contains("limit of 40000000 pixels"), e.getMessage());
        assertTrue(e.getMessage().contains("image.max.pixels"), e.getMessage());

        // With a larger limit the size check passes and the far too short pixel data is reported
        // as corruption, not an OutOfMemoryError.
        ImageDecoder generous = new ImageDecoder(new DecodeLimits(1024, 1_000_000_000L));
        refused(generous, png, "bomb.png", Reason.CORRUPT_IMAGE);
    }

    @Test
    void animatedGifGivesItsFirstFrame() {
        BufferedImage image = decoder.decode(Fixtures.image("gif_animated.gif"), "anim.gif");
        // Frames are filled with (220,30,30), (30,200,40) and (40,60,230) around an ellipse.
        assertEquals(0xDC1E1E, image.getRGB(3, 3) & 0xFFFFFF);
        assertEquals(Fixtures.pilDecoded("gif_animated.gif").data[3 * 256 + 3], image.getRGB(3, 3) & 0xFFFFFF);
    }

    @Test
    void sixteenBitRgbPngKeepsTheHighByteLikePillow() {
        int[][] samples = {{0x1234, 0xABCD, 0xFF00}, {0x00FF, 0x8000, 0x7FFF}};
        byte[] png = png16(2, 1, 2, samples);
        BufferedImage image = decoder.decode(png, "deep.png");
        assertEquals(0x12ABFF, image.getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0x00807F, image.getRGB(1, 0) & 0xFFFFFF);
        // And the committed 16-bit fixture equals Pillow's decode of it.
        assertEquals(0, Fixtures.maxDiff(decoder.decodePixels(Fixtures.image("png16_rgb.png"), "png16"),
                Fixtures.pilDecoded("png16_rgb.png")));
    }

    @Test
    void sixteenBitGreyPngKeepsTheHighByte() {
        // Pillow would give mode "I" and clip every value above 255 to white; we take the high
        // byte, consistent with 16-bit colour (documented in PilColorConversion).
        byte[] png = png16(2, 1, 0, new int[][] {{0x8040}, {0x00FF}});
        BufferedImage image = decoder.decode(png, "deep-grey.png");
        assertEquals(0x808080, image.getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0x000000, image.getRGB(1, 0) & 0xFFFFFF);
    }

    @Test
    void greyscaleAndCmykJpegsMatchPillowExactly() {
        for (String name : new String[] {"jpeg_gray.jpg", "jpeg_cmyk.jpg"}) {
            RgbPixels ours = decoder.decodePixels(Fixtures.image(name), name);
            RgbPixels pil = Fixtures.pilDecoded(name);
            int[] probes = {0, ours.data.length / 3, ours.data.length / 2 + 17, ours.data.length - 1};
            for (int i : probes) {
                assertEquals(Integer.toHexString(pil.data[i]), Integer.toHexString(ours.data[i]), name + " pixel " + i);
            }
            assertEquals(0, Fixtures.maxDiff(ours, pil), name);
        }
        // Sanity of the CMYK maths itself: a grey-looking pixel is grey.
        RgbPixels gray = decoder.decodePixels(Fixtures.image("jpeg_gray.jpg"), "g");
        int p = gray.data[100];
        assertEquals((p >> 16) & 0xFF, p & 0xFF);
    }

    @Test
    void transparentPixelsAreCompositedOverWhite() {
        RgbPixels rgba = decoder.decodePixels(Fixtures.image("png_rgba.png"), "rgba");
        assertEquals(0xFFFFFF, rgba.data[0], "the top rows are fully transparent");
        assertEquals(0, Fixtures.maxDiff(rgba, Fixtures.pilDecoded("png_rgba.png")));
    }

    // --- hand-made PNGs ---

    /**
     * An RGB PNG whose IHDR (valid CRC) declares width x height, followed by a valid IDAT holding
     * one compressed row of zeros only: the shape of a decompression bomb, without the payload.
     */
    static byte[] pngWithShortData(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        chunk(out, "IHDR", ihdr(width, height, 8, 2));
        chunk(out, "IDAT", deflate(new byte[1 + 3 * width]));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    @Test
    void pngWithADamagedCriticalChunkIsCorrupt() {
        byte[] png = Fixtures.image("png_rgb.png").clone();
        png[png.length / 2] ^= 0x10; // inside IDAT: the JDK reader would not notice
        EncodingException e = refused(decoder, png, "flipped.png", Reason.CORRUPT_IMAGE);
        assertTrue(e.getMessage().contains("IDAT chunk") && e.getMessage().contains("CRC"), e.getMessage());
    }

    private static byte[] deflate(byte[] raw) {
        Deflater deflater = new Deflater();
        deflater.setInput(raw);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }

    /** A 16-bit PNG (colour type 2 RGB or 0 grey) with the given samples per pixel, one row. */
    static byte[] png16(int width, int height, int colourType, int[][] pixelSamples) {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        for (int y = 0; y < height; y++) {
            raw.write(0); // filter: none
            for (int x = 0; x < width; x++) {
                for (int sample : pixelSamples[y * width + x]) {
                    raw.write(sample >> 8);
                    raw.write(sample & 0xFF);
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        chunk(out, "IHDR", ihdr(width, height, 16, colourType));
        chunk(out, "IDAT", deflate(raw.toByteArray()));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static byte[] ihdr(int width, int height, int depth, int colourType) {
        return new byte[] {
            (byte) (width >>> 24), (byte) (width >>> 16), (byte) (width >>> 8), (byte) width,
            (byte) (height >>> 24), (byte) (height >>> 16), (byte) (height >>> 8), (byte) height,
            (byte) depth, (byte) colourType, 0, 0, 0,
        };
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        writeInt(out, data.length);
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        writeInt(out, (int) crc.getValue());
    }

    private static void writeInt(ByteArrayOutputStream out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }
}
