package io.clipstream.search;

import io.clipstream.logging.RateLimitedLog;
import io.clipstream.schema.VectorRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.clipstream.store.KnnQuery;
import io.clipstream.store.KnnResult;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToIntFunction;

/**
 * Runs one k-nearest-neighbour query over every partition of a store, wherever it lives: the
 * local share through IQv2, each peer's share over HTTP, all at once, and merges. A partition that
 * no instance holds right now, or whose holder does not answer in time, is reported missing
 * rather than failing the search; each such answer is counted
 * ({@code clipstream_search_partial_total}), and why ({@code clipstream_search_peer_errors_total}
 * by reason), with a rate-limited warning, so that partial answers are visible to operators.
 */
public final class ClusterSearcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterSearcher.class);
    private static final Duration LOG_INTERVAL = Duration.ofSeconds(30);

    private final StoreDirectory directory;
    private final HostInfo self;
    private final PartitionQueries local;
    private final PeerClient peers;
    private final ToIntFunction<String> partitionCount;
    private final Map<String, String> topicOfStore;
    private final Duration timeout;
    private final ExecutorService fanOut;
    private final MeterRegistry metrics;
    private final RateLimitedLog metadataLog = new RateLimitedLog(LOG, LOG_INTERVAL);
    private final RateLimitedLog peerLog = new RateLimitedLog(LOG, LOG_INTERVAL);
    private final RateLimitedLog partialLog = new RateLimitedLog(LOG, LOG_INTERVAL);

    /**
     * @param local          this instance's stores ({@code self}'s partitions are asked there, not over HTTP)
     * @param topicOfStore   the vector topic each store is materialised from
     * @param partitionCount partitions of a topic (the expected number of partial answers)
     * @param fanOut         where the calls of one search run at once; closed with this searcher
     */
    public ClusterSearcher(StoreDirectory directory, HostInfo self, PartitionQueries local, PeerClient peers,
                           Map<String, String> topicOfStore, ToIntFunction<String> partitionCount, Duration timeout,
                           MeterRegistry metrics, ExecutorService fanOut) {
        this.directory = directory;
        this.self = self;
        this.local = local;
        this.peers = peers;
        this.topicOfStore = Map.copyOf(topicOfStore);
        this.partitionCount = partitionCount;
        this.timeout = timeout;
        this.metrics = metrics;
        this.fanOut = fanOut;
    }

    /** A searcher over a Kafka Streams application, whose own partitions are searched side by side on virtual threads. */
    public static ClusterSearcher overStreams(KafkaStreams streams, HostInfo self, PeerClient peers,
                                              Map<String, String> topicOfStore, ToIntFunction<String> partitionCount,
                                              Duration timeout, MeterRegistry metrics) {
        ExecutorService fanOut = Executors.newVirtualThreadPerTaskExecutor();
        return new ClusterSearcher(new StreamsStoreDirectory(streams), self, new LocalStoreQueries(streams, fanOut), peers,
                topicOfStore, partitionCount, timeout, metrics, fanOut);
    }

    public PartitionQueries local() {
        return local;
    }

    /** The merged top k of {@code store}, and which of its partitions did not answer. */
    public StoreAnswer search(String store, KnnQuery query) {
        String topic = topicOfStore.get(store);
        Map<HostInfo, Set<Integer>> owners = owners(store, topic);
        Set<Integer> expected = new HashSet<>();
        for (int p = 0; p < partitionCount.applyAsInt(topic); p++) {
            expected.add(p);
        }
        Map<HostInfo, Future<PartialResult>> calls = new HashMap<>();
        owners.forEach((host, partitions) -> calls.put(host, fanOut.submit(() -> host.equals(self)
                ? local.knn(store, partitions, query)
                : peers.knn(host, store, partitions, query))));
        List<KnnResult> partials = new ArrayList<>();
        Set<Integer> answered = new HashSet<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Map.Entry<HostInfo, Future<PartialResult>> call : calls.entrySet()) {
            HostInfo host = call.getKey();
            try {
                PartialResult result = call.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                result.answered().forEach((partition, hits) -> {
                    if (answered.add(partition)) {
                        partials.add(hits);
                    }
                });
                if (!result.missing().isEmpty()) {
                    peerError("unanswered", "{} did not answer for partitions {} of {}", describe(host), result.missing(), store);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (TimeoutException e) {
                call.getValue().cancel(true);
                peerError("timeout", "{} did not answer for {} within {} ms (search.timeout.ms)", describe(host), store,
                        timeout.toMillis());
            } catch (Exception e) {
                call.getValue().cancel(true);
                peerError("failed", "{} failed for {}: {}", describe(host), store, e.getCause() == null ? e : e.getCause());
            }
        }
        List<String> missing = expected.stream().filter(p -> !answered.contains(p)).sorted().map(p -> store + "-" + p).toList();
        if (!missing.isEmpty()) {
            Counter.builder("clipstream.search.partial").tag("store", store)
                    .description("store searches answered without some partitions (missingPartitions not empty)")
                    .register(metrics).increment();
            partialLog.warn("search of {} answered without partitions {}: no instance holds them right now or their holder did "
                    + "not answer", store, missing);
        }
        return new StoreAnswer(KnnResult.merge(partials, query.k()), missing);
    }

    private void peerError(String reason, String format, Object... arguments) {
        Counter.builder("clipstream.search.peer.errors").tag("reason", reason)
                .description("parts of searches that an instance did not answer (timeout, failed, unanswered) or whose owners "
                        + "could not be found (metadata)")
                .register(metrics).increment();
        peerLog.warn(format, arguments);
    }

    private String describe(HostInfo host) {
        return host.equals(self) ? "this instance" : "peer " + host.host() + ":" + host.port();
    }

    /** The indexed record with this id in {@code store}, from whichever instance holds its partition. */
    public Optional<VectorRecord> item(String store, String id) {
        Optional<StoreDirectory.KeyOwners> owners;
        try {
            owners = directory.ownersOf(store, id);
        } catch (RuntimeException e) {
            throw new SearchException(503, "the index is not ready to look up items (" + e.getMessage() + "); retry shortly");
        }
        StoreDirectory.KeyOwners where = owners.orElseThrow(() ->
                new SearchException(503, "no instance holds the partition of '" + id + "' right now; retry shortly"));
        for (HostInfo host : where.hosts()) {
            Optional<VectorRecord> found = host.equals(self)
                    ? local.item(store, where.partition(), id)
                    : peers.item(host, store, where.partition(), id);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /** Which instance to ask for which partition; none when the metadata cannot be read (counted and logged). */
    private Map<HostInfo, Set<Integer>> owners(String store, String topic) {
        try {
            return directory.owners(store, topic);
        } catch (RuntimeException e) {
            Counter.builder("clipstream.search.peer.errors").tag("reason", "metadata").register(metrics).increment();
            metadataLog.warn("cannot tell which instances hold {} ({}); answering without them", store, e.toString());
            return Map.of();
        }
    }

    @Override
    public void close() {
        fanOut.shutdownNow();
    }

    /** One store's merged answer. */
    public record StoreAnswer(KnnResult result, List<String> missingPartitions) {
    }
}
