package io.clipstream.store;

import org.apache.kafka.streams.processor.TaskId;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The {@link VectorStore}s one supplier has opened and not yet closed, by task: active and standby partitions of this
 * instance, and briefly the stores Kafka Streams opens at start-up to read local state. For metrics and tests; a
 * search goes through IQv2 ({@link KnnQuery}) so that Kafka Streams routes it to a running task.
 */
public final class OpenVectorStores {

    private final ConcurrentMap<TaskId, VectorStore> byTask = new ConcurrentHashMap<>();

    void opened(VectorStore store) {
        byTask.put(store.taskId(), store);
    }

    void closed(VectorStore store) {
        byTask.remove(store.taskId(), store);
    }

    /** The open stores, ordered by task. */
    public List<VectorStore> all() {
        return byTask.values().stream().sorted(Comparator.comparing(VectorStore::taskId)).toList();
    }

    public Optional<VectorStore> forTask(TaskId taskId) {
        return Optional.ofNullable(byTask.get(taskId));
    }

    /** The open store of this partition (of the first sub-topology that has one). */
    public Optional<VectorStore> forPartition(int partition) {
        return all().stream().filter(store -> store.taskId().partition() == partition).findFirst();
    }

    /** The vectors indexed across every open store. */
    public long totalVectors() {
        return byTask.values().stream().mapToLong(VectorStore::size).sum();
    }
}
