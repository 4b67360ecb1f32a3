package io.clipstream.index;

import io.clipstream.testing.TestVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Searches on other threads while one writer replaces and deletes items and the background seals, builds, merges and
 * compacts: every answer must be a state the index was in. Each item's vector is a function of its id and version,
 * and the writer publishes an item's version only after applying it, so a reader knows which versions could have
 * been live while it searched; a hit must carry one of them (by its exact score), no item may come back twice, and
 * items deleted for good before the search began never come back.
 */
class SegmentedIndexConcurrencyTest {

    private static final int DIMENSION = 24;
    private static final int ITEMS = 600;
    private static final int DELETED_FOR_GOOD = 100;

    @TempDir
    Path dir;

    static float[] vectorOf(int item, int version) {
        return TestVectors.randomUnitVector(new Random(new SplittableRandom(item * 1_000_003L + version).nextLong()), DIMENSION);
    }

    @Test
    void everySearchSeesAStateTheIndexWasIn() throws Exception {
        AnnSettings ann = new AnnSettings(16, 48, 2f, 48, 0, AnnSettings.Compression.INT8_FLOAT32, 0.0);
        SegmentSettings segments = new SegmentSettings(64, 3, Duration.ZERO, 2, Duration.ZERO, SegmentSettings.DEFAULT_MAX_STATE_AGE);
        // version[i]: the newest version applied; -1 while the item is deleted. Published after each apply.
        AtomicIntegerArray versions = new AtomicIntegerArray(ITEMS);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger searched = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try (SegmentMaintenance maintenance = new SegmentMaintenance(2);
             SegmentedIndex index = SegmentedIndex.open("race", dir, DIMENSION, "m", ann, segments,
                     FullPrecisionSource.NONE, maintenance)) {
            List<IndexChange> first = new ArrayList<>();
            for (int i = 0; i < ITEMS; i++) {
                first.add(IndexChange.upsert(vector(i, 0), i, 0));
            }
            index.apply(first);
            List<IndexChange> gone = new ArrayList<>();
            for (int i = 0; i < DELETED_FOR_GOOD; i++) {
                gone.add(IndexChange.removal(id(i), ITEMS + i, 0));
                versions.set(i, -1);
            }
            index.apply(gone);

            Future<Integer> writer = threads.submit(() -> {
                Random random = new Random(5);
                int offset = 2 * ITEMS;
                // Until the readers have checked 400 answers between them: the writes interleave with every one.
                for (int round = 0; searched.get() < 400 && round < 5_000_000; round++) {
                    int item = DELETED_FOR_GOOD + random.nextInt(ITEMS - DELETED_FOR_GOOD);
                    int version = Math.abs(versions.get(item)) + 1;
                    if (random.nextInt(5) == 0) {
                        index.apply(IndexChange.removal(id(item), offset++, 0));
                        versions.set(item, -version);
                    } else {
                        index.apply(IndexChange.upsert(vector(item, version), offset++, 0));
                        versions.set(item, version);
                    }
                }
                writing.set(false);
                return offset;
            });
            List<Future<Integer>> readers = new ArrayList<>();
            for (int reader = 0; reader < 2; reader++) {
                int seed = reader;
                readers.add(threads.submit(() -> read(index, versions, writing, searched, seed)));
            }
            writer.get(5, TimeUnit.MINUTES);
            int searches = 0;
            for (Future<Integer> reader : readers) {
                searches += reader.get(5, TimeUnit.MINUTES);
            }
            assertTrue(searches >= 400, "searches ran beside the writes: " + searches);
            assertTrue(index.awaitQuiet(Duration.ofMinutes(5)), index.stats().toString());
            assertTrue(index.stats().merges() > 0, "segments merged meanwhile: " + index.stats());
        } finally {
            threads.shutdownNow();
        }
    }

    /** Searches until the writer is done; returns how many, after checking each. */
    private static int read(SegmentedIndex index, AtomicIntegerArray versions, AtomicBoolean writing, AtomicInteger searched,
                            int seed) {
        Random random = new Random(100 + seed);
        int searches = 0;
        while (writing.get()) {
            float[] query = TestVectors.randomUnitVector(random, DIMENSION);
            int[] before = snapshot(versions);
            SearchOptions options = searches % 2 == 0 ? SearchOptions.exact() : SearchOptions.auto();
            List<ItemHit> hits = index.search(query, 50, FieldFilter.NONE, Float.NEGATIVE_INFINITY, options).hits();
            int[] after = snapshot(versions);
            Set<String> seen = new HashSet<>();
            for (ItemHit hit : hits) {
                assertTrue(seen.add(hit.id()), "item " + hit.id() + " returned twice");
                int item = Integer.parseInt(hit.id().substring("item-".length()));
                assertTrue(item >= DELETED_FOR_GOOD, "item " + hit.id() + " was deleted for good before the search");
                boolean known = false;
                // Published after applying: the view holds at least the version seen before, at most one past the last.
                int from = Math.abs(before[item]);
                int to = Math.abs(after[item]) + 1;
                for (int version = from; version <= to; version++) {
                    known |= VectorMath.dot(query, vectorOf(item, version)) == hit.score();
                }
                assertTrue(known, "the score of " + hit.id() + " is not that of a version live during the search ("
                        + before[item] + " to " + after[item] + ")");
            }
            if (options.mode() == SearchOptions.Mode.EXACT) {
                int liveThroughout = liveThroughout(before, after);
                assertTrue(hits.size() >= Math.min(50, liveThroughout), "an exact search found " + hits.size()
                        + " hits while " + liveThroughout + " items were live throughout it");
            }
            searches++;
            searched.incrementAndGet();
        }
        return searches;
    }

    /** Items certainly live during the whole search: the same live version before and after it. */
    private static int liveThroughout(int[] before, int[] after) {
        int live = 0;
        for (int i = 0; i < after.length; i++) {
            if (before[i] >= 0 && after[i] >= 0 && before[i] == after[i]) {
                live++;
            }
        }
        return live;
    }

    private static int[] snapshot(AtomicIntegerArray versions) {
        int[] copy = new int[versions.length()];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = versions.get(i);
        }
        return copy;
    }

    private static String id(int item) {
        return "item-" + item;
    }

    private static IndexedVector vector(int item, int version) {
        return new IndexedVector(id(item), io.clipstream.schema.Modality.IMAGE, vectorOf(item, version), Map.of(), Map.of(), null);
    }
}
