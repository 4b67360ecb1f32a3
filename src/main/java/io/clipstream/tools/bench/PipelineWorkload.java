package io.clipstream.tools.bench;

import io.clipstream.embedded.DemoCorpus;
import io.clipstream.schema.ImageEvent;
import io.clipstream.schema.Modality;
import io.clipstream.schema.VectorRecord;
import io.clipstream.common.VectorRecords;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/** The benchmark's inputs, all deterministic: random unit vectors, image events, query texts. */
final class PipelineWorkload {

    private static final List<String> IMAGE_SUFFIXES = List.of(".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp");

    private PipelineWorkload() {
    }

    static String vectorId(int n) {
        return String.format(Locale.ROOT, "bench-vec-%07d", n);
    }

    /** The clustered set's mixture: 1000 random unit centres, noise of norm ~1, as bench knn's. */
    private static final int CENTRES = 1_000;

    /**
     * Vectors {@code from} (inclusive) to {@code to} (exclusive), each drawn from its own seed, so vector n is the same
     * whichever steps the index was loaded in. The list makes each record when it is read: a step of a million
     * vectors is never held in memory at once.
     */
    static List<VectorRecord> vectors(int from, int to, String modelId, int dimension, long seed, VectorData data) {
        VectorSource source = new VectorSource(dimension, seed, data);
        return new java.util.AbstractList<>() {
            @Override
            public VectorRecord get(int index) {
                int n = from + index;
                return VectorRecord.newBuilder().setId(vectorId(n)).setModality(Modality.IMAGE).setModelId(modelId)
                        .setDimension(dimension).setVector(VectorRecords.toList(source.vector(n)))
                        .setCategory(n % 2 == 0 ? "even" : "odd").build();
            }

            @Override
            public int size() {
                return to - from;
            }
        };
    }

    /** The benchmark's vector n, made from (seed, n) alone. */
    static final class VectorSource {
        private final int dimension;
        private final long seed;
        private final float[][] centres;

        VectorSource(int dimension, long seed, VectorData data) {
            this.dimension = dimension;
            this.seed = seed;
            this.centres = data == VectorData.CLUSTERED ? FloatRows.randomUnit(new Random(seed), CENTRES, dimension) : null;
        }

        float[] vector(int n) {
            SplittableRandom random = new SplittableRandom(seed * 1_000_003L + n);
            if (centres == null) {
                return unitVector(random, dimension);
            }
            float[] centre = centres[random.nextInt(CENTRES)];
            double scale = 1.0 / Math.sqrt(dimension);
            float[] v = new float[dimension];
            for (int i = 0; i < dimension; i++) {
                v[i] = (float) (centre[i] + scale * random.nextGaussian());
            }
            return FloatRows.normalise(v);
        }
    }

    static float[] unitVector(SplittableRandom random, int dimension) {
        float[] v = new float[dimension];
        double norm = 0;
        for (int i = 0; i < dimension; i++) {
            double g = random.nextGaussian();
            v[i] = (float) g;
            norm += g * g;
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < dimension; i++) {
            v[i] *= scale;
        }
        return v;
    }

    /** {@code count} image events with ids {@code prefix-NNNNN}, cycling through {@code images}. */
    static List<ImageEvent> imageEvents(String prefix, int count, List<byte[]> images) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no images to send");
        }
        List<ImageEvent> events = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            String id = String.format(Locale.ROOT, "%s-%05d", prefix, n);
            events.add(ImageEvent.newBuilder().setId(id).setBytes(ByteBuffer.wrap(images.get(n % images.size())))
                    .setTenant("bench").build());
        }
        return events;
    }

    /**
     * The demo corpus's PNGs from the jar, then every image file in {@code dirs} that exist (in a
     * checkout, the model-parity fixtures: PNG, JPEG, GIF, BMP and WebP of 40 to 640 pixels a side).
     */
    static List<byte[]> images(List<Path> dirs) {
        List<byte[]> images = new ArrayList<>();
        DemoCorpus.items().forEach(item -> images.add(DemoCorpus.image(item)));
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.sorted().toList()) {
                    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
                    if (IMAGE_SUFFIXES.stream().anyMatch(name::endsWith)) {
                        images.add(Files.readAllBytes(file));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read benchmark images from " + dir + ": " + e.getMessage(), e);
            }
        }
        return images;
    }

    private static final List<String> ADJECTIVES = List.of("red", "small", "old", "bright", "wet", "striped", "wooden",
            "shiny", "sleepy", "tall", "frozen", "green", "noisy", "round", "broken", "golden");
    private static final List<String> SUBJECTS = List.of("cat", "bicycle", "lighthouse", "teapot", "dog on a beach",
            "mountain lake", "city street at night", "bowl of fruit", "sailing boat", "circle", "square", "star", "forest path",
            "robot", "kitchen", "train");
    private static final List<String> FORMS = List.of("a photo of a %s %s", "%s %s", "a drawing of the %s %s",
            "close-up of a %s %s in the morning light");

    /** {@code count} varied query texts (1024 distinct ones, then repeats), shuffled by {@code seed}. */
    static List<String> queryTexts(int count, long seed) {
        List<String> distinct = new ArrayList<>();
        for (String form : FORMS) {
            for (String adjective : ADJECTIVES) {
                for (String subject : SUBJECTS) {
                    distinct.add(String.format(Locale.ROOT, form, adjective, subject));
                }
            }
        }
        java.util.Collections.shuffle(distinct, new Random(seed));
        List<String> texts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            texts.add(distinct.get(i % distinct.size()));
        }
        return texts;
    }
}
