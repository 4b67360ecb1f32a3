package io.clipstream.explain;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Two-object test images for match localisation: pairs of held-out gallery items of different
 * categories, chosen by a fixed seed, pasted left | right on a white square (the model centre-crops
 * to a square, so all of both objects is seen). Each object is fitted into a {@code HALF} x
 * {@code HALF} box centred in its half.
 */
final class CompositePairs {

    static final int HALF = 64;
    static final int SIZE = 2 * HALF;

    record Item(String id, String caption, Path file) {
        /** "emoji", or the openclipart top-level category ("openclipart/computer"). */
        String category() {
            String[] parts = id.split("/");
            return parts[0].equals("emoji") ? "emoji" : parts[0] + "/" + parts[1];
        }
    }

    record Pair(Item left, Item right) {
    }

    private CompositePairs() {
    }

    static List<Item> readGallery(Path gallery) throws IOException {
        List<Item> items = new ArrayList<>();
        for (String line : Files.readAllLines(gallery.resolve("captions.tsv"), StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\t", 2);
            Path file = gallery.resolve("images").resolve(fields[0] + ".png");
            if (!Files.isRegularFile(file)) {
                throw new IOException(gallery + ": captions.tsv names " + fields[0] + " but " + file + " is missing");
            }
            items.add(new Item(fields[0], fields[1].trim(), file));
        }
        items.sort(Comparator.comparing(Item::id));
        return items;
    }

    /**
     * The demo corpus ({@code index.tsv}: id, image, category, caption), as items whose ids follow the
     * gallery's form ("openclipart/computer/...", "emoji/...") so that {@link Item#category()} holds.
     * The corpus holds other held-out items than the gallery, at 96 px instead of 64.
     */
    static List<Item> readDemoCorpus(Path corpus) throws IOException {
        List<Item> items = new ArrayList<>();
        for (String line : Files.readAllLines(corpus.resolve("index.tsv"), StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\t", 4);
            Path file = corpus.resolve(fields[1]);
            if (!Files.isRegularFile(file)) {
                throw new IOException(corpus + ": index.tsv names " + fields[1] + " but " + file + " is missing");
            }
            String category = fields[2];
            String prefix = category.replace('/', '-') + "-";
            String rest = fields[0].startsWith(prefix) ? fields[0].substring(prefix.length()) : fields[0];
            items.add(new Item(category + "/" + rest, fields[3].trim(), file));
        }
        items.sort(Comparator.comparing(Item::id));
        return items;
    }

    /**
     * Pairs that share no item with {@code used}: chosen as {@link #chooseUpTo} does from the gallery
     * items outside {@code used} and the demo corpus items that are not also in the gallery (the two
     * sets were drawn separately from the same held-out split, so a few items are in both).
     */
    static List<Pair> disjointFrom(List<Pair> used, List<Item> gallery, List<Item> demoCorpus, int count, long seed) {
        Set<String> usedIds = new HashSet<>();
        for (Pair pair : used) {
            usedIds.add(pair.left().id());
            usedIds.add(pair.right().id());
        }
        Set<String> galleryNames = new HashSet<>();
        for (Item item : gallery) {
            galleryNames.add(item.id().replace('/', '-'));
        }
        List<Item> pool = new ArrayList<>();
        for (Item item : gallery) {
            if (!usedIds.contains(item.id())) {
                pool.add(item);
            }
        }
        for (Item item : demoCorpus) {
            if (!galleryNames.contains(item.id().replace('/', '-'))) {
                pool.add(item);
            }
        }
        return chooseUpTo(pool, count, seed);
    }

    /**
     * {@code count} pairs, each item used once: shuffle with {@code seed}, then take the next item as
     * the left one and the first later item of another category (and another caption) as its right.
     */
    static List<Pair> choose(List<Item> items, int count, long seed) {
        List<Pair> pairs = chooseUpTo(items, count, seed);
        if (pairs.size() < count) {
            throw new IllegalStateException("only " + pairs.size() + " pairs of different categories in " + items.size() + " items");
        }
        return pairs;
    }

    /** As {@link #choose}, but as many pairs as the items allow, up to {@code count}. */
    static List<Pair> chooseUpTo(List<Item> items, int count, long seed) {
        List<Item> queue = new ArrayList<>(items);
        Collections.shuffle(queue, new Random(seed));
        List<Pair> pairs = new ArrayList<>();
        while (pairs.size() < count && !queue.isEmpty()) {
            Item left = queue.remove(0);
            for (int i = 0; i < queue.size(); i++) {
                Item candidate = queue.get(i);
                if (!candidate.category().equals(left.category()) && !candidate.caption().equals(left.caption())) {
                    pairs.add(new Pair(left, queue.remove(i)));
                    break;
                }
            }
        }
        return pairs;
    }

    static BufferedImage composite(Pair pair) throws IOException {
        BufferedImage canvas = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, SIZE, SIZE);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            paste(g, ImageIO.read(pair.left().file().toFile()), 0);
            paste(g, ImageIO.read(pair.right().file().toFile()), HALF);
        } finally {
            g.dispose();
        }
        return canvas;
    }

    private static void paste(Graphics2D g, BufferedImage object, int left) {
        double scale = Math.min((double) HALF / object.getWidth(), (double) HALF / object.getHeight());
        int w = (int) Math.round(object.getWidth() * scale);
        int h = (int) Math.round(object.getHeight() * scale);
        g.drawImage(object, left + (HALF - w) / 2, (SIZE - h) / 2, w, h, null);
    }
}
