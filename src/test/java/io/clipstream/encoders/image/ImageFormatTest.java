package io.clipstream.encoders.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ImageFormatTest {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void sniffsEveryFixtureByItsBytes() {
        for (String name : Fixtures.names()) {
            ImageFormat expected = switch (name.substring(name.lastIndexOf('.') + 1)) {
                case "jpg" -> ImageFormat.JPEG;
                case "png" -> ImageFormat.PNG;
                case "gif" -> ImageFormat.GIF;
                case "bmp" -> ImageFormat.BMP;
                default -> ImageFormat.WEBP;
            };
            assertEquals(Optional.of(expected), ImageFormat.sniff(Fixtures.image(name)), name);
        }
    }

    @Test
    void describesCommonNonImages() {
        assertEquals("a PDF document", ImageFormat.describeUnsupported(ascii("%PDF-1.7\n...")));
        assertEquals("a TIFF image", ImageFormat.describeUnsupported(new byte[] {'I', 'I', 42, 0, 8, 0, 0, 0}));
        assertEquals("a HEIC/HEIF image", ImageFormat.describeUnsupported(ascii("\0\0\0\u0018ftypheic\0\0\0\0")));
        assertEquals("an AVIF image", ImageFormat.describeUnsupported(ascii("\0\0\0\u001cftypavif\0\0\0\0")));
        assertEquals("a ZIP archive", ImageFormat.describeUnsupported(new byte[] {'P', 'K', 3, 4, 0}));
        assertEquals("an HTML page", ImageFormat.describeUnsupported(ascii("  <!doctype html><title>x</title>")));
        assertTrue(ImageFormat.describeUnsupported(ascii("<svg xmlns='http://www.w3.org/2000/svg'/>")).contains("SVG"));
        assertEquals("JSON text", ImageFormat.describeUnsupported(ascii("{\"error\": \"not found\"}")));
        assertTrue(ImageFormat.describeUnsupported(ascii("/9j/4AAQSkZJRgABAQAAAQABAAD")).contains("base64"));
        assertEquals("plain text", ImageFormat.describeUnsupported(ascii("hello")));
        assertTrue(ImageFormat.describeUnsupported(new byte[] {1, 2, 3}).contains("unknown format (starting 010203)"));
    }
}
