package io.clipstream.encoders.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/** The preprocessing fixtures written by scripts/make_preprocess_fixtures.py (Pillow's reference outputs). */
final class Fixtures {

    static final String ROOT = "/fixtures/preprocess/";

    private Fixtures() {
    }

    /** Input file names, in the order of manifest.txt. */
    static List<String> names() {
        String manifest = new String(bytes(ROOT + "manifest.txt"), StandardCharsets.UTF_8);
        List<String> names = new ArrayList<>();
        for (String line : manifest.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.split("\t")[0]);
            }
        }
        if (names.size() < 12) {
            throw new IllegalStateException("expected at least 12 fixtures, manifest lists " + names.size());
        }
        return names;
    }

    static byte[] image(String name) {
        return bytes(ROOT + "images/" + name);
    }

    /** Pillow's decoded full-size RGB (after EXIF transpose and compositing over white). */
    static RgbPixels pilDecoded(String name) {
        return png(ROOT + "decoded/" + stem(name) + ".png");
    }

    /** Pillow's resize(224, BICUBIC) + centre crop 224x224. */
    static RgbPixels pilExpected(String name) {
        return png(ROOT + "expected/" + stem(name) + ".png");
    }

    static String stem(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }

    static byte[] bytes(String resource) {
        try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource
                        + " (regenerate with /usr/bin/python3 scripts/make_preprocess_fixtures.py)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An 8-bit RGB PNG read with the JDK's own reader, independent of the code under test. */
    static RgbPixels png(String resource) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes(resource)));
            return RgbPixels.of(image);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int channel(int pixel, int c) {
        return (pixel >> (16 - 8 * c)) & 0xFF;
    }

    /** Largest per-channel difference between two same-sized images. */
    static int maxDiff(RgbPixels a, RgbPixels b) {
        if (a.width != b.width || a.height != b.height) {
            throw new AssertionError("size " + a.width + "x" + a.height + " vs " + b.width + "x" + b.height);
        }
        int max = 0;
        for (int i = 0; i < a.data.length; i++) {
            for (int c = 0; c < 3; c++) {
                max = Math.max(max, Math.abs(channel(a.data[i], c) - channel(b.data[i], c)));
            }
        }
        return max;
    }
}
