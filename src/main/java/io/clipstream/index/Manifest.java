package io.clipstream.index;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.BitSet;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The list of one partition's persisted segments at a moment, written atomically (a temporary file renamed over the
 * last one): which runs and graphs make it up, which slots were dead then, and the changelog offset it covers. Every
 * record up to {@code coveredOffset} is reflected in the listed runs and deaths (or was superseded); a store opened
 * on it replays the changelog from the next offset, which repeats nothing harmful: applying a record again only
 * replaces an item with the same vector.
 *
 * <p>On disk: int magic "CSMF", long CRC32C of the JSON body, the JSON body.
 *
 * @param fingerprint   the settings, model and dimension the segments were built with; any difference means rebuild
 * @param writtenAtMs   wall-clock time of writing, against {@link SegmentSettings#maxStateAge()}
 * @param nextId        the next run or segment id to hand out, so that ids never repeat in one directory
 */
record Manifest(int format, String fingerprint, long writtenAtMs, long coveredOffset, long nextId,
                List<RunEntry> runs, List<SegmentEntry> segments) {

    static final int FORMAT = 1;
    private static final int MAGIC = 0x43534D46;
    private static final ObjectMapper JSON = new ObjectMapper();

    Manifest {
        runs = List.copyOf(runs);
        segments = List.copyOf(segments);
    }

    /** One run: its file, how many slots it holds, and which of them were dead (a bitset, base64). */
    record RunEntry(long id, String file, int count, String dead) {

        static RunEntry of(VectorRun run, BitSet dead) {
            return new RunEntry(run.id, run.fileName(), run.count(), Base64.getEncoder().encodeToString(dead.toByteArray()));
        }

        BitSet deadSlots() {
            return BitSet.valueOf(Base64.getDecoder().decode(dead));
        }
    }

    /** One segment: its runs in ordinal order, and its graph file if it has one yet. */
    record SegmentEntry(long id, List<Long> runs, GraphFile graph) {
        SegmentEntry {
            runs = List.copyOf(runs);
        }
    }

    /**
     * The manifest of what is on disk now (taken under the partition's lock): the segments whose runs are all written,
     * every run's dead slots, and the offset below the oldest record not yet on disk. Null while vectors of unknown
     * offset (a rebuild from local state) are not all written: no offset can be claimed for them yet.
     *
     * @param lastApplied the highest changelog offset the partition has applied or been told is committed
     */
    static Manifest of(String fingerprint, List<Segment> segments, VectorRun open, long lastApplied, long nextId) {
        long oldestUnwritten = Long.MAX_VALUE;
        List<RunEntry> runs = new ArrayList<>();
        List<SegmentEntry> entries = new ArrayList<>();
        List<VectorRun> unwritten = new ArrayList<>();
        if (open.count() > 0) {
            unwritten.add(open);
        }
        for (Segment segment : segments) {
            if (!segment.persisted()) {
                unwritten.addAll(segment.runs());
                continue;
            }
            List<Long> ids = new ArrayList<>();
            for (VectorRun run : segment.runs()) {
                ids.add(run.id);
                BitSet dead = new BitSet(run.count());
                for (int slot = 0; slot < run.count(); slot++) {
                    if (run.dead(slot)) {
                        dead.set(slot);
                    }
                }
                runs.add(RunEntry.of(run, dead));
            }
            entries.add(new SegmentEntry(segment.id, ids, segment.graph() == null ? null : segment.graph().file));
        }
        for (VectorRun run : unwritten) {
            if (run.minOffset() < 0) {
                return null;
            }
            oldestUnwritten = Math.min(oldestUnwritten, run.minOffset());
        }
        long covered = oldestUnwritten == Long.MAX_VALUE ? lastApplied : oldestUnwritten - 1;
        return new Manifest(FORMAT, fingerprint, System.currentTimeMillis(), covered, nextId, runs, entries);
    }

    byte[] toBytes() {
        try {
            byte[] body = JSON.writeValueAsBytes(this);
            CRC32C crc = new CRC32C();
            crc.update(body);
            return ByteBuffer.allocate(Integer.BYTES + Long.BYTES + body.length).putInt(MAGIC).putLong(crc.getValue())
                    .put(body).array();
        } catch (IOException e) {
            throw new IllegalStateException("a segment manifest could not be serialised: " + e, e);
        }
    }

    static Manifest fromBytes(byte[] bytes) throws CorruptStateException {
        if (bytes.length < Integer.BYTES + Long.BYTES) {
            throw new CorruptStateException("the segment manifest is " + bytes.length + " bytes: truncated");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (in.getInt() != MAGIC) {
            throw new CorruptStateException("the segment manifest does not start with its magic number");
        }
        long expected = in.getLong();
        CRC32C crc = new CRC32C();
        crc.update(bytes, in.position(), in.remaining());
        if (crc.getValue() != expected) {
            throw new CorruptStateException("the segment manifest fails its checksum: the file is damaged");
        }
        try {
            Manifest manifest = JSON.readValue(bytes, in.position(), in.remaining(), Manifest.class);
            if (manifest.format() != FORMAT) {
                throw new CorruptStateException("the segment manifest has format " + manifest.format() + "; this version reads "
                        + FORMAT);
            }
            return manifest;
        } catch (IOException e) {
            throw new CorruptStateException("the segment manifest cannot be parsed: " + e.getMessage(), e);
        }
    }
}
