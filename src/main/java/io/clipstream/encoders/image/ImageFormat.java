package io.clipstream.encoders.image;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The encoded formats the decoder accepts, recognised by their magic bytes rather than by a file
 * name or a content type, both of which producers get wrong.
 */
public enum ImageFormat {
    JPEG("jpeg"),
    PNG("png"),
    GIF("gif"),
    BMP("bmp"),
    WEBP("webp");

    /** For error messages: what a caller may send instead. */
    public static final String SUPPORTED = "JPEG, PNG, GIF, BMP or WebP";

    private final String imageIoName;

    ImageFormat(String imageIoName) {
        this.imageIoName = imageIoName;
    }

    /** The format name ImageIO's reader SPIs use. */
    String imageIoName() {
        return imageIoName;
    }

    /** The format these bytes start like, if it is one we decode. */
    public static Optional<ImageFormat> sniff(byte[] b) {
        if (startsWith(b, 0, 0xFF, 0xD8, 0xFF)) {
            return Optional.of(JPEG);
        }
        if (startsWith(b, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return Optional.of(PNG);
        }
        if (startsWithAscii(b, 0, "GIF87a") || startsWithAscii(b, 0, "GIF89a")) {
            return Optional.of(GIF);
        }
        if (startsWithAscii(b, 0, "BM") && b.length >= 26) {
            return Optional.of(BMP);
        }
        if (startsWithAscii(b, 0, "RIFF") && startsWithAscii(b, 8, "WEBP")) {
            return Optional.of(WEBP);
        }
        return Optional.empty();
    }

    /**
     * A human description of bytes we do not decode ("a PDF document"), so the error tells the
     * producer what it actually sent.
     */
    public static String describeUnsupported(byte[] b) {
        if (startsWithAscii(b, 0, "%PDF-")) {
            return "a PDF document";
        }
        if (startsWith(b, 0, 'I', 'I', 42, 0) || startsWith(b, 0, 'M', 'M', 0, 42)) {
            return "a TIFF image";
        }
        if (b.length >= 12 && startsWithAscii(b, 4, "ftyp")) {
            String brand = new String(b, 8, 4, StandardCharsets.US_ASCII);
            if (brand.startsWith("hei") || brand.startsWith("mif1") || brand.startsWith("heix") || brand.startsWith("msf1")) {
                return "a HEIC/HEIF image";
            }
            if (brand.startsWith("avif") || brand.startsWith("avis")) {
                return "an AVIF image";
            }
            return "an ISO media file (MP4/MOV)";
        }
        if (startsWithAscii(b, 0, "RIFF")) {
            return "a RIFF container that is not WebP (AVI or WAV?)";
        }
        if (startsWith(b, 0, 'P', 'K', 3, 4)) {
            return "a ZIP archive";
        }
        if (startsWith(b, 0, 0x1F, 0x8B)) {
            return "gzip-compressed data";
        }
        if (startsWith(b, 0, 0x00, 0x00, 0x01, 0x00)) {
            return "a Windows icon (ICO)";
        }
        if (startsWithAscii(b, 0, "8BPS")) {
            return "a Photoshop document";
        }
        String head = textHead(b);
        if (head != null) {
            String lower = head.toLowerCase(Locale.ROOT).stripLeading();
            if (lower.startsWith("<!doctype html") || lower.startsWith("<html") || lower.contains("<html")) {
                return "an HTML page";
            }
            if (lower.contains("<svg")) {
                return "an SVG drawing (vector images must be rasterised first)";
            }
            if (lower.startsWith("<?xml") || lower.startsWith("<")) {
                return "an XML document";
            }
            if (lower.startsWith("{") || lower.startsWith("[")) {
                return "JSON text";
            }
            if (lower.startsWith("data:image/") || looksLikeBase64(head)) {
                return "base64 text (decode it to bytes first)";
            }
            return "plain text";
        }
        return "bytes of an unknown format (starting " + hex(b, 8) + ")";
    }

    private static boolean startsWith(byte[] b, int at, int... expected) {
        if (b.length < at + expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if ((b[at + i] & 0xFF) != expected[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWithAscii(byte[] b, int at, String ascii) {
        if (b.length < at + ascii.length()) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if (b[at + i] != (byte) ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The first 512 bytes as text, or null when they contain control bytes a text file would not. */
    private static String textHead(byte[] b) {
        int n = Math.min(b.length, 512);
        int start = startsWith(b, 0, 0xEF, 0xBB, 0xBF) ? 3 : 0;
        for (int i = start; i < n; i++) {
            int c = b[i] & 0xFF;
            if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') {
                return null;
            }
        }
        return new String(b, start, n - start, StandardCharsets.UTF_8);
    }

    private static boolean looksLikeBase64(String head) {
        String s = head.strip();
        if (s.length() < 16) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '+' || c == '/' || c == '=' || c == '\n' || c == '\r')) {
                return false;
            }
        }
        return s.startsWith("/9j/") || s.startsWith("iVBOR") || s.startsWith("R0lGOD") || s.startsWith("UklGR");
    }

    private static String hex(byte[] b, int max) {
        byte[] head = Arrays.copyOf(b, Math.min(b.length, max));
        StringBuilder sb = new StringBuilder();
        for (byte x : head) {
            sb.append(String.format("%02x", x & 0xFF));
        }
        return sb.toString();
    }
}
