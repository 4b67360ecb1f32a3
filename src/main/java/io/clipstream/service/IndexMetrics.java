package io.clipstream.service;

import io.clipstream.index.IndexStats;
import io.clipstream.store.OpenVectorStores;
import io.clipstream.store.VectorStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.processor.TaskId;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The index's gauges on {@code /metrics}, over every vector store partition open on this instance: how many vectors
 * and segments it holds, how much of it a search still scans exactly because the background builder has not reached
 * it, how long builds and merges take, and how fresh the newest searchable vector is.
 */
final class IndexMetrics {

    private IndexMetrics() {
    }

    /**
     * @param active the tasks active here now: a store of a standby or warm-up task (Kafka Streams opens one on an
     *               instance that is to take a partition over) holds a copy that this instance does not serve, and
     *               counting it would count a partition's vectors twice across the cluster
     */
    static void bind(List<OpenVectorStores> stores, Supplier<Set<TaskId>> active, MeterRegistry metrics) {
        Gauge.builder("clipstream.index.vectors", stores, all -> vectors(all, active, true))
                .description("vectors in the vector store partitions this instance serves (its active tasks)").register(metrics);
        Gauge.builder("clipstream.index.vectors.standby", stores, all -> vectors(all, active, false))
                .description("vectors in standby and warm-up copies of partitions other instances serve").register(metrics);
        Gauge.builder("clipstream.index.bytes.per.vector", stores,
                        all -> open(all).mapToLong(VectorStore::bytesPerVector).max().orElse(0))
                .description("index memory per vector: components, compressed code and graph edges")
                .baseUnit("bytes").register(metrics);
        gauge(metrics, stores, "clipstream.index.segments", "sealed segments across the open partitions",
                all -> sum(all, IndexStats::segments));
        gauge(metrics, stores, "clipstream.index.segments.per.partition.max", "sealed segments of the partition with most",
                all -> stats(all).mapToDouble(IndexStats::segments).max().orElse(0));
        gauge(metrics, stores, "clipstream.index.vectors.without.graph", "live vectors in no graph yet, which every search "
                + "scans: the open segment in float32, sealed segments whose graph is being built by their codes",
                all -> sum(all, IndexStats::withoutGraph));
        gauge(metrics, stores, "clipstream.index.vectors.awaiting.graph", "live vectors in sealed segments whose graph is "
                + "not built yet", all -> sum(all, s -> s.withoutGraph() - s.openVectors()));
        gauge(metrics, stores, "clipstream.index.runs.awaiting.disk", "sealed runs not yet written to the state directory",
                all -> sum(all, IndexStats::pendingPersistence));
        gauge(metrics, stores, "clipstream.index.last.build.seconds", "the longest last graph build of a sealed run, over the partitions",
                all -> stats(all).mapToDouble(s -> s.lastBuildMillis() / 1e3).max().orElse(0));
        gauge(metrics, stores, "clipstream.index.last.merge.seconds", "the longest last merge, over the partitions",
                all -> stats(all).mapToDouble(s -> s.lastMergeMillis() / 1e3).max().orElse(0));
        gauge(metrics, stores, "clipstream.index.newest.vector.age.seconds", "how old (by record timestamp) the newest "
                + "searchable vector is; NaN before the first", IndexMetrics::newestAgeSeconds);
        gauge(metrics, stores, "clipstream.index.partitions.busy", "partitions whose background work (writing, building, "
                + "merging) is not done yet", all -> stats(all).filter(s -> !s.quiet()).count());
        FunctionCounter.builder("clipstream.index.merges", stores, all -> sum(all, IndexStats::merges))
                .description("merges and compactions finished by the open partitions since they opened").register(metrics);
    }

    private static void gauge(MeterRegistry metrics, List<OpenVectorStores> stores, String name, String description,
                              ToDoubleFunction<List<OpenVectorStores>> value) {
        Gauge.builder(name, stores, value).description(description).register(metrics);
    }

    private static long vectors(List<OpenVectorStores> stores, Supplier<Set<TaskId>> active, boolean served) {
        Set<TaskId> activeNow = active.get();
        return open(stores).filter(store -> activeNow.contains(store.taskId()) == served).mapToLong(VectorStore::size).sum();
    }

    /** The tasks active on this instance's running stream threads, asked afresh at each call. */
    static Supplier<Set<TaskId>> activeTasksOf(KafkaStreams streams) {
        return () -> streams.metadataForLocalThreads().stream()
                .flatMap(thread -> thread.activeTasks().stream())
                .map(TaskMetadata::taskId)
                .collect(Collectors.toSet());
    }

    private static Stream<VectorStore> open(List<OpenVectorStores> stores) {
        return stores.stream().flatMap(store -> store.all().stream());
    }

    private static Stream<IndexStats> stats(List<OpenVectorStores> stores) {
        return open(stores).map(VectorStore::indexStats).filter(Objects::nonNull);
    }

    private static double sum(List<OpenVectorStores> stores, ToDoubleFunction<IndexStats> field) {
        return stats(stores).mapToDouble(field).sum();
    }

    private static double newestAgeSeconds(List<OpenVectorStores> stores) {
        long newest = stats(stores).mapToLong(IndexStats::newestTimestampMs).max().orElse(-1);
        return newest < 0 ? Double.NaN : (System.currentTimeMillis() - newest) / 1e3;
    }
}
