package io.clipstream.index;

import io.github.jbellis.jvector.graph.OnHeapGraphIndex;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * Reads a partition's persisted segments back from its manifest, refusing whatever it cannot trust: settings, a
 * model or a dimension other than today's, a manifest older than {@link SegmentSettings#maxStateAge()}, a missing or
 * damaged file, runs that segments name twice or not at all, an id alive in two slots. What it refuses, the
 * partition rebuilds from its store.
 */
final class SegmentLoader {

    /** What a manifest held: the segments (graphs loaded) and where each live item is. */
    record Loaded(List<Segment> segments, Map<String, SlotRef> live) {
    }

    private final SegmentDirectory directory;
    private final String fingerprint;
    private final SegmentSettings settings;
    private final int dimension;
    private final VectorScorer scorer;
    private final int slotBits;

    SegmentLoader(SegmentDirectory directory, String fingerprint, SegmentSettings settings, int dimension,
                  VectorScorer scorer, int slotBits) {
        this.directory = directory;
        this.fingerprint = fingerprint;
        this.settings = settings;
        this.dimension = dimension;
        this.scorer = scorer;
        this.slotBits = slotBits;
    }

    /** Loads what the manifest lists and deletes every file it does not name. */
    Loaded load(Manifest manifest) throws CorruptStateException {
        if (!fingerprint.equals(manifest.fingerprint())) {
            throw new CorruptStateException("they were built with " + manifest.fingerprint() + ", now " + fingerprint);
        }
        long age = System.currentTimeMillis() - manifest.writtenAtMs();
        if (age > settings.maxStateAge().toMillis()) {
            throw new CorruptStateException("the manifest is " + Duration.ofMillis(age) + " old, older than "
                    + "index.persist.max.age.ms (" + settings.maxStateAge() + "): tombstones written since may have "
                    + "been compacted away");
        }
        Map<Long, VectorRun> runs = readRuns(manifest.runs());
        Set<Long> used = new HashSet<>();
        List<Segment> loaded = new ArrayList<>();
        Set<String> files = new HashSet<>();
        runs.values().forEach(run -> files.add(run.fileName()));
        for (Manifest.SegmentEntry entry : manifest.segments()) {
            List<VectorRun> members = new ArrayList<>();
            for (long runId : entry.runs()) {
                VectorRun run = runs.get(runId);
                if (run == null || !used.add(runId)) {
                    throw new CorruptStateException("segment " + entry.id() + " names run " + runId
                            + (run == null ? ", which the manifest does not list" : ", which another segment holds too"));
                }
                members.add(run);
            }
            Segment segment = new Segment(entry.id(), members, slotBits);
            if (entry.graph() != null) {
                OnHeapGraphIndex graph = directory.readGraph(entry.graph(), dimension, scorer.forBuilding(segment));
                segment.installGraph(new SegmentGraph(FlatGraph.of(graph, segment.ordinalLimit()), entry.graph()));
                files.add(entry.graph().file());
            }
            loaded.add(segment);
        }
        if (used.size() != runs.size()) {
            throw new CorruptStateException("the manifest lists " + runs.size() + " runs but its segments hold " + used.size());
        }
        Map<String, SlotRef> live = new HashMap<>();
        for (Segment segment : loaded) {
            for (VectorRun run : segment.runs()) {
                for (int slot = 0; slot < run.count(); slot++) {
                    if (!run.dead(slot) && live.put(run.id(slot), new SlotRef(run, slot)) != null) {
                        throw new CorruptStateException("id '" + run.id(slot) + "' is alive in two slots");
                    }
                }
            }
        }
        directory.deleteAllBut(files);
        return new Loaded(List.copyOf(loaded), live);
    }

    /** Reads the runs in parallel (most of a load is reading and checksumming them) and applies their deaths. */
    private Map<Long, VectorRun> readRuns(List<Manifest.RunEntry> entries) throws CorruptStateException {
        Map<Long, VectorRun> runs = new ConcurrentHashMap<>();
        List<CorruptStateException> failures = new ArrayList<>();
        IntStream.range(0, entries.size()).parallel().forEach(i -> {
            Manifest.RunEntry entry = entries.get(i);
            try {
                VectorRun run = directory.readRun(entry, settings.runVectors(), dimension, scorer.keepsFloats(),
                        scorer.codeKind());
                BitSet dead = entry.deadSlots();
                for (int slot = dead.nextSetBit(0); slot >= 0; slot = dead.nextSetBit(slot + 1)) {
                    if (slot >= run.count()) {
                        throw new CorruptStateException("run " + entry.id() + " marks slot " + slot + " dead but holds "
                                + run.count());
                    }
                    run.kill(slot, 0);
                }
                if (runs.put(entry.id(), run) != null) {
                    throw new CorruptStateException("run " + entry.id() + " is listed twice");
                }
            } catch (CorruptStateException e) {
                synchronized (failures) {
                    failures.add(e);
                }
            }
        });
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
        return runs;
    }
}
