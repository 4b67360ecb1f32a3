package io.clipstream.index;

import io.github.jbellis.jvector.disk.ByteBufferReader;
import io.github.jbellis.jvector.graph.OnHeapGraphIndex;
import io.github.jbellis.jvector.graph.diversity.VamanaDiversityProvider;
import io.github.jbellis.jvector.graph.similarity.BuildScoreProvider;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * The files of one partition's segments, in a directory under its store's state directory: one file per sealed run,
 * one per segment graph and the {@value #MANIFEST} that says which of them make up the index. Files are written once
 * and fsynced before a manifest names them; a file no manifest names (left by a crash, or by a merge whose inputs are
 * gone) is deleted when the directory is opened and after later manifests. Names carry a random part, so a build that
 * finishes after its store was closed and reopened never writes over a file of the new one.
 */
final class SegmentDirectory {

    static final String MANIFEST = "MANIFEST";
    private static final String MANIFEST_TMP = "MANIFEST.tmp";
    /** JVector's defaults, as the graphs were built with. */
    static final float OVERFLOW = 1.2f;
    static final float ALPHA = 1.2f;

    private final Path dir;

    SegmentDirectory(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the segment directory " + dir + ": " + e.getMessage(), e);
        }
    }

    Path path() {
        return dir;
    }

    private static String fileName(String prefix, long id, String suffix) {
        return prefix + "-" + id + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()) + suffix;
    }

    /** Writes a sealed run once (whoever comes first: the persist lane, or the store closing) and marks it persisted. */
    void persist(VectorRun run) throws IOException {
        synchronized (run) {
            if (run.persisted()) {
                return;
            }
            String name = fileName("run", run.id, ".vec");
            writeDurably(name, out -> RunFile.write(run, out));
            run.markPersisted(name);
        }
    }

    VectorRun readRun(Manifest.RunEntry entry, int capacity, int dimension, boolean keepFloats, RunCodes.Kind codes)
            throws CorruptStateException {
        return RunFile.read(read(entry.file()), entry.id(), entry.count(), capacity, dimension, keepFloats, codes, entry.file());
    }

    // JVector 4 deprecates its on-heap graph format in favour of OnDiskGraphIndex, but only the on-heap format reads
    // back into a mutable graph, which is what lets a merge extend its largest input instead of rebuilding it.
    @SuppressWarnings("deprecation")
    GraphFile writeGraph(OnHeapGraphIndex graph, long segmentId) throws IOException {
        String name = fileName("graph", segmentId, ".jvg");
        CRC32C crc = new CRC32C();
        long[] bytes = new long[1];
        writeDurably(name, out -> {
            CheckedOutputStream checked = new CheckedOutputStream(out, crc);
            DataOutputStream data = new DataOutputStream(new BufferedOutputStream(checked, 1 << 16));
            graph.save(data);
            data.flush();
            bytes[0] = data.size();
        });
        return new GraphFile(name, crc.getValue(), bytes[0]);
    }

    /**
     * Reads a saved graph back as a mutable JVector graph: to search, or to extend in a merge.
     *
     * @param scores the scores of the segment the graph will serve (a merge inserts into it with them)
     */
    @SuppressWarnings("deprecation")
    OnHeapGraphIndex readGraph(GraphFile file, int dimension, BuildScoreProvider scores) throws CorruptStateException {
        byte[] bytes = read(file.file());
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        if (bytes.length != file.bytes() || crc.getValue() != file.crc()) {
            throw new CorruptStateException("graph file " + file.file() + " is " + bytes.length + " bytes with checksum "
                    + crc.getValue() + "; the manifest expects " + file.bytes() + " bytes with checksum " + file.crc());
        }
        try {
            return OnHeapGraphIndex.load(new ByteBufferReader(ByteBuffer.wrap(bytes)), dimension, OVERFLOW,
                    new VamanaDiversityProvider(scores, ALPHA));
        } catch (IOException | RuntimeException e) {
            throw new CorruptStateException("graph file " + file.file() + " cannot be read: " + e, e);
        }
    }

    /** Writes the manifest atomically: readers see the old one or the new one, whole. */
    void writeManifest(Manifest manifest) throws IOException {
        byte[] bytes = manifest.toBytes();
        Path tmp = dir.resolve(MANIFEST_TMP);
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        Files.move(tmp, dir.resolve(MANIFEST), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory();
    }

    /** The manifest, or empty when there is none (a new or wiped directory). */
    Optional<Manifest> readManifest() throws CorruptStateException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(dir.resolve(MANIFEST));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new CorruptStateException("the segment manifest in " + dir + " cannot be read: " + e.getMessage(), e);
        }
        return Optional.of(Manifest.fromBytes(bytes));
    }

    /** Deletes every file but the manifest and the named ones. */
    void deleteAllBut(Set<String> keep) {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (!name.equals(MANIFEST) && !keep.contains(name)) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean the segment directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Deletes everything, the manifest first (so that a crash half-way leaves no manifest naming missing files). */
    void deleteAll() {
        try {
            Files.deleteIfExists(dir.resolve(MANIFEST));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the segment manifest in " + dir + ": " + e.getMessage(), e);
        }
        deleteAllBut(Set.of());
    }

    void delete(String name) {
        try {
            Files.deleteIfExists(dir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir.resolve(name) + ": " + e.getMessage(), e);
        }
    }

    private byte[] read(String name) throws CorruptStateException {
        try {
            return Files.readAllBytes(dir.resolve(name));
        } catch (IOException e) {
            throw new CorruptStateException("segment file " + name + " in " + dir + " cannot be read: " + e, e);
        }
    }

    private interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    private void writeDurably(String name, Writer writer) throws IOException {
        Path file = dir.resolve(name);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            OutputStream out = Channels.newOutputStream(channel);
            writer.writeTo(out);
            out.flush();
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    private void syncDirectory() {
        // A rename is durable once the directory is; some file systems refuse to open a directory for this.
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException ignored) {
            // Best effort: where a directory cannot be synced, the rename is as durable as the platform makes it.
        }
    }
}
