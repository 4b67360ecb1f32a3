package io.clipstream.tools.bench;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Photo-sized benchmark images: smooth colour gradients, a few shapes and light noise, so that
 * decoding costs what a camera or web image of that size costs. Half are JPEG (quality 0.9), half
 * PNG, in four common sizes. Deterministic for a given seed.
 */
public final class SyntheticImages {

    private static final int[][] SIZES = {{640, 480}, {480, 640}, {800, 600}, {512, 512}};

    private SyntheticImages() {
    }

    public static List<BenchImage> generate(int count, long seed) {
        Random random = new Random(seed);
        List<BenchImage> images = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int[] size = SIZES[i % SIZES.length];
            BufferedImage image = draw(random, size[0], size[1]);
            boolean isJpeg = i % 2 == 0;
            String name = String.format("generated-%02d-%dx%d.%s", i, size[0], size[1], isJpeg ? "jpg" : "png");
            images.add(new BenchImage(name, isJpeg ? jpeg(image) : png(image)));
        }
        return images;
    }

    /** Every regular file of {@code directory}, sorted by name, for benchmarking on real pictures. */
    public static List<BenchImage> readDirectory(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            List<BenchImage> images = new ArrayList<>();
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                images.add(new BenchImage(file.toString(), Files.readAllBytes(file)));
            }
            if (images.isEmpty()) {
                throw new IllegalArgumentException(directory + " holds no files; give a directory of JPEG/PNG images");
            }
            return images;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read benchmark images from " + directory + ": " + e.getMessage(), e);
        }
    }

    private static BufferedImage draw(Random random, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        double[][] waves = new double[3][3];
        for (double[] wave : waves) {
            for (int j = 0; j < 3; j++) {
                wave[j] = random.nextDouble() * 2 - 1;
            }
        }
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = 0;
                for (int c = 0; c < 3; c++) {
                    double v = 127.5 + 110 * Math.sin(waves[c][0] * 3 * x / width + waves[c][1] * 3 * y / height + waves[c][2] * 3)
                            + random.nextGaussian() * 6;
                    rgb = (rgb << 8) | (int) Math.max(0, Math.min(255, Math.round(v)));
                }
                image.setRGB(x, y, rgb);
            }
        }
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            for (int s = 0; s < 3 + random.nextInt(4); s++) {
                g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256)));
                int w = width / 8 + random.nextInt(width / 3);
                int h = height / 8 + random.nextInt(height / 3);
                int x = random.nextInt(width - w);
                int y = random.nextInt(height - h);
                if (random.nextBoolean()) {
                    g.fillOval(x, y, w, h);
                } else {
                    g.fillRect(x, y, w, h);
                }
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    private static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] jpeg(BufferedImage image) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.9f);
            writer.setOutput(stream);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
