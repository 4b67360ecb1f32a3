package io.clipstream.encoders.image;

import io.clipstream.encoders.ClipModel;
import io.clipstream.encoders.EncoderSettings;
import io.clipstream.encoders.EncodingException;
import io.clipstream.encoders.ImageEncoder;
import io.clipstream.encoders.PreparedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Issue 19's measurement: does the libwebp port ({@link LossyWebpDecoder}) change what the service
 * returns, compared with a maintained decoder? Two are measured: TwelveMonkeys' pure-Java WebP
 * reader and native libwebp through com.github.usefulness:webp-imageio. Every lossy WebP file under
 * the given folders is decoded by the port and by each of them through {@link ImageDecoder} (same
 * limits, same RGB conversion and alpha compositing; only the WebP reader differs), then
 * preprocessed and embedded with each model. Prints, per maintained decoder, the files it could not
 * decode, the pixel differences from the port and the worst and mean cosine per model; the figures
 * and the decision are in docs/MODELS.md ("WebP decoding"), which gives the command.
 *
 * <p>Usage: {@code WebpDecoderComparison --model DIR [--model DIR...] FOLDER...}
 */
public final class WebpDecoderComparison {

    private static final int BATCH = 16;
    private static final int WORST_SHOWN = 5;

    private WebpDecoderComparison() {
    }

    /** A maintained decoder measured against the port. */
    record Candidate(String name, ImageDecoder decoder) {
    }

    /** One file decoded by the port and by one candidate. */
    record DecodedPair(Path folder, String name, RgbPixels port, RgbPixels maintained, PixelDifference difference) {
    }

    /** Per-channel absolute difference over R, G and B: the largest, the mean, and the share of channels that differ. */
    record PixelDifference(int max, double mean, double differing) {
        static PixelDifference between(RgbPixels a, RgbPixels b, String name) {
            if (a.width != b.width || a.height != b.height) {
                throw new IllegalStateException(name + ": the port decodes " + a.width + "x" + a.height
                        + ", the other decoder " + b.width + "x" + b.height + "; the comparison needs equal sizes");
            }
            int max = 0;
            long sum = 0;
            long differing = 0;
            for (int i = 0; i < a.data.length; i++) {
                for (int c = 0; c < 3; c++) {
                    int d = Math.abs(Fixtures.channel(a.data[i], c) - Fixtures.channel(b.data[i], c));
                    max = Math.max(max, d);
                    sum += d;
                    differing += d == 0 ? 0 : 1;
                }
            }
            long channels = 3L * a.data.length;
            return new PixelDifference(max, (double) sum / channels, (double) differing / channels);
        }
    }

    /** Port against a candidate on one model: cosine of the two embeddings, and the largest input-tensor difference. */
    record Similarity(Path folder, String name, double cosine, double maxTensorDifference) {
    }

    public static void main(String[] args) throws IOException {
        List<Path> models = new ArrayList<>();
        List<Path> folders = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--model") && i + 1 < args.length) {
                models.add(Path.of(args[++i]));
            } else {
                folders.add(Path.of(args[i]));
            }
        }
        if (models.isEmpty() || folders.isEmpty()) {
            System.err.println("usage: WebpDecoderComparison --model DIR [--model DIR...] FOLDER... "
                    + "(folders of .webp files, searched recursively; lossless ones are skipped)");
            System.exit(2);
        }
        List<Candidate> candidates = List.of(
                new Candidate("TwelveMonkeys", new ImageDecoder(DecodeLimits.DEFAULT, ImageDecoder.WebpPath.TWELVEMONKEYS)),
                new Candidate("libwebp", new ImageDecoder(DecodeLimits.DEFAULT, ImageDecoder.WebpPath.LIBWEBP)));
        for (Candidate candidate : candidates) {
            List<DecodedPair> pairs = decodeAll(folders, candidate, System.out);
            String label = "port vs " + candidate.name();
            printPixelFigures(label + ", all", pairs, System.out);
            for (Path folder : folders) {
                printPixelFigures(label + ", " + folder, pairs.stream().filter(p -> p.folder().equals(folder)).toList(),
                        System.out);
            }
            for (Path model : models) {
                List<Similarity> similarities = compare(model, pairs);
                printModelFigures(label + ", " + model + ", all", similarities, System.out);
                for (Path folder : folders) {
                    printModelFigures(label + ", " + model + ", " + folder,
                            similarities.stream().filter(s -> s.folder().equals(folder)).toList(), System.out);
                }
            }
        }
    }

    /** Port and candidate on every lossy file; a file the candidate refuses is reported and left out. */
    static List<DecodedPair> decodeAll(List<Path> folders, Candidate candidate, PrintStream out) throws IOException {
        ImageDecoder port = new ImageDecoder(DecodeLimits.DEFAULT, ImageDecoder.WebpPath.PORT);
        List<DecodedPair> pairs = new ArrayList<>();
        int lossless = 0;
        List<String> refused = new ArrayList<>();
        for (Path folder : folders) {
            for (Path file : webpFiles(folder)) {
                byte[] bytes = Files.readAllBytes(file);
                if (!WebpContainer.isLossy(bytes)) {
                    lossless++; // the port reads VP8L through TwelveMonkeys: only lossy frames are the port's
                    continue;
                }
                String name = file.toString();
                RgbPixels a = port.decodePixels(bytes, name);
                RgbPixels b;
                try {
                    b = candidate.decoder().decodePixels(bytes, name);
                } catch (EncodingException e) {
                    refused.add(e.getMessage());
                    continue;
                }
                pairs.add(new DecodedPair(folder, name, a, b, PixelDifference.between(a, b, name)));
            }
        }
        out.printf("%s: %d lossy WebP files compared (%d lossless skipped, %d refused by %s) from %s%n",
                candidate.name(), pairs.size(), lossless, refused.size(), candidate.name(), folders);
        refused.forEach(message -> out.printf("  refused: %s%n", message));
        return pairs;
    }

    private static List<Path> webpFiles(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException(folder + " is not a folder; for the re-encodings run "
                    + "/usr/bin/python3 scripts/make_webp_reencodings.py first");
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(p -> p.getFileName().toString().endsWith(".webp")).sorted().toList();
        }
    }

    static List<Similarity> compare(Path modelDir, List<DecodedPair> pairs) {
        List<Similarity> result = new ArrayList<>();
        try (ClipModel model = ClipModel.open(EncoderSettings.cpu(modelDir))) {
            ImageEncoder encoder = model.image();
            for (int start = 0; start < pairs.size(); start += BATCH) {
                List<DecodedPair> batch = pairs.subList(start, Math.min(pairs.size(), start + BATCH));
                List<PreparedImage> ours = new ArrayList<>();
                List<PreparedImage> theirs = new ArrayList<>();
                for (DecodedPair pair : batch) {
                    ours.add(encoder.prepare(pair.port().toImage()));
                    theirs.add(encoder.prepare(pair.maintained().toImage()));
                }
                float[][] a = encoder.embedPrepared(ours);
                float[][] b = encoder.embedPrepared(theirs);
                for (int i = 0; i < batch.size(); i++) {
                    result.add(new Similarity(batch.get(i).folder(), batch.get(i).name(), cosine(a[i], b[i]),
                            maxDifference(ours.get(i).pixels(), theirs.get(i).pixels())));
                }
            }
        } catch (RuntimeException e) {
            throw new IllegalStateException("embedding with " + modelDir + " failed (" + e.getMessage()
                    + "); for the ViT-B/32-sized model run /usr/bin/python3 scripts/bench_models.py first", e);
        }
        return result;
    }

    private static void printPixelFigures(String label, List<DecodedPair> pairs, PrintStream out) {
        if (pairs.isEmpty()) {
            return;
        }
        int identical = 0;
        int worst = 0;
        double meanOfMeans = 0;
        double differing = 0;
        for (DecodedPair pair : pairs) {
            PixelDifference d = pair.difference();
            identical += d.max() == 0 ? 1 : 0;
            worst = Math.max(worst, d.max());
            meanOfMeans += d.mean() / pairs.size();
            differing += d.differing() / pairs.size();
        }
        List<Integer> maxima = pairs.stream().map(p -> p.difference().max()).sorted().toList();
        out.printf("pixels, %s (per channel, 0-255): identical files %d of %d; max |d| worst %d, "
                        + "median %d, p90 %d; mean |d| %.4f; channels differing %.2f%%%n",
                label, identical, pairs.size(), worst, maxima.get(maxima.size() / 2), maxima.get(maxima.size() * 9 / 10),
                meanOfMeans, 100 * differing);
        pairs.stream().sorted(Comparator.comparingInt((DecodedPair p) -> p.difference().max()).reversed())
                .limit(WORST_SHOWN).forEach(p -> out.printf("  max |d| %3d  mean |d| %.4f  %s%n",
                        p.difference().max(), p.difference().mean(), p.name()));
    }

    private static void printModelFigures(String label, List<Similarity> similarities, PrintStream out) {
        if (similarities.isEmpty()) {
            return;
        }
        double worst = 1;
        double mean = 0;
        double tensor = 0;
        for (Similarity s : similarities) {
            worst = Math.min(worst, s.cosine());
            mean += s.cosine() / similarities.size();
            tensor = Math.max(tensor, s.maxTensorDifference());
        }
        long below = similarities.stream().filter(s -> s.cosine() < 0.9999).count();
        out.printf("%s: %d files, cosine worst %.6f, mean %.7f, below 0.9999: %d; max input-tensor |d| %.4f%n",
                label, similarities.size(), worst, mean, below, tensor);
        similarities.stream().sorted(Comparator.comparingDouble(Similarity::cosine)).limit(WORST_SHOWN)
                .forEach(s -> out.printf("  cosine %.6f  %s%n", s.cosine(), s.name()));
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    private static double maxDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
