package io.clipstream.search;

import io.clipstream.schema.Modality;
import io.clipstream.schema.VectorRecord;
import io.clipstream.store.KnnQuery;
import io.clipstream.store.KnnResult;
import io.clipstream.store.ScoredHit;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cluster search's merge and its partial answers, with the instances played by fakes. */
class ClusterSearcherTest {

    private static final String STORE = "image-vectors-store";
    private static final String TOPIC = "image.vectors";
    private static final HostInfo SELF = new HostInfo("self", 8080);
    private static final HostInfo PEER = new HostInfo("peer", 8080);
    private static final HostInfo OTHER = new HostInfo("other", 8080);
    private static final KnnQuery QUERY = KnnQuery.of(new float[]{1, 0}, 3);

    private final MeterRegistry metrics = new SimpleMeterRegistry();
    private final FakeDirectory directory = new FakeDirectory();
    private final FakeInstance local = new FakeInstance();
    private final Map<HostInfo, FakeInstance> peers = new HashMap<>();
    private final CountDownLatch never = new CountDownLatch(1);
    private ClusterSearcher searcher;

    @AfterEach
    void close() {
        never.countDown();
        if (searcher != null) {
            searcher.close();
        }
    }

    private ClusterSearcher searcher(int partitions, Duration timeout) {
        PeerClient client = new PeerClient() {
            @Override
            public PartialResult knn(HostInfo peer, String store, Set<Integer> asked, KnnQuery query) {
                return peers.get(peer).knn(store, asked, query);
            }

            @Override
            public Optional<VectorRecord> item(HostInfo peer, String store, int partition, String id) {
                return peers.get(peer).item(store, partition, id);
            }
        };
        searcher = new ClusterSearcher(directory, SELF, local, client, Map.of(STORE, TOPIC), topic -> partitions, timeout,
                metrics, Executors.newVirtualThreadPerTaskExecutor());
        return searcher;
    }

    private FakeInstance peer(HostInfo host) {
        return peers.computeIfAbsent(host, h -> new FakeInstance());
    }

    private static ScoredHit hit(String id, float score) {
        return new ScoredHit(id, Modality.IMAGE, score, Map.of(), null);
    }

    private static List<String> ids(KnnResult result) {
        return result.hits().stream().map(ScoredHit::id).toList();
    }

    private double counted(String name, String tag, String value) {
        var counter = metrics.find(name).tag(tag, value).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void mergesEveryInstancesPartitionsIntoOneTopKBestFirst() {
        directory.owns(SELF, 0, 1).owns(PEER, 2, 3);
        local.answers(0, hit("a", 0.9f), hit("b", 0.2f)).answers(1, hit("c", 0.5f));
        peer(PEER).answers(2, hit("d", 0.95f), hit("e", 0.1f)).answers(3, hit("f", 0.6f));

        ClusterSearcher.StoreAnswer answer = searcher(4, Duration.ofSeconds(5)).search(STORE, QUERY);

        assertEquals(List.of("d", "a", "f"), ids(answer.result()));
        assertEquals(List.of(), answer.missingPartitions());
        assertEquals(0, counted("clipstream.search.partial", "store", STORE));
        assertEquals(Set.of(0, 1), local.asked.get(STORE), "this instance's partitions are asked locally, not over HTTP");
        assertEquals(Set.of(2, 3), peer(PEER).asked.get(STORE));
    }

    @Test
    void equalScoresFromDifferentInstancesAreOrderedByIdWhicheverAnswersFirst() {
        directory.owns(SELF, 0).owns(PEER, 1);
        local.answers(0, hit("m", 0.5f), hit("z", 0.5f));
        peer(PEER).answers(1, hit("b", 0.5f), hit("n", 0.5f));

        KnnResult merged = searcher(2, Duration.ofSeconds(5)).search(STORE, QUERY).result();

        assertEquals(List.of("b", "m", "n"), ids(merged));
    }

    @Test
    void aPartitionNoInstanceHoldsIsNamedMissingAndCounted() {
        directory.owns(SELF, 0).owns(PEER, 2);
        local.answers(0, hit("a", 0.9f));
        peer(PEER).answers(2, hit("c", 0.7f));

        ClusterSearcher.StoreAnswer answer = searcher(4, Duration.ofSeconds(5)).search(STORE, QUERY);

        assertEquals(List.of("a", "c"), ids(answer.result()));
        assertEquals(List.of(STORE + "-1", STORE + "-3"), answer.missingPartitions());
        assertEquals(1, counted("clipstream.search.partial", "store", STORE));
    }

    @Test
    void aFailingPeerLosesOnlyItsOwnPartitions() {
        directory.owns(SELF, 0).owns(PEER, 1).owns(OTHER, 2);
        local.answers(0, hit("a", 0.9f));
        peer(PEER).fails(new IllegalStateException("connection refused"));
        peer(OTHER).answers(2, hit("c", 0.8f));

        ClusterSearcher.StoreAnswer answer = searcher(3, Duration.ofSeconds(5)).search(STORE, QUERY);

        assertEquals(List.of("a", "c"), ids(answer.result()));
        assertEquals(List.of(STORE + "-1"), answer.missingPartitions());
        assertEquals(1, counted("clipstream.search.peer.errors", "reason", "failed"));
    }

    @Test
    void aPeerThatDoesNotAnswerInTimeIsMissingAndTheSearchStillAnswers() {
        directory.owns(SELF, 0).owns(PEER, 1);
        local.answers(0, hit("a", 0.9f));
        peer(PEER).blocksUntil(never);

        ClusterSearcher.StoreAnswer answer = searcher(2, Duration.ofMillis(200)).search(STORE, QUERY);

        assertEquals(List.of("a"), ids(answer.result()));
        assertEquals(List.of(STORE + "-1"), answer.missingPartitions());
        assertEquals(1, counted("clipstream.search.peer.errors", "reason", "timeout"));
    }

    @Test
    void partitionsAPeerSaysItCouldNotAnswerAreMissing() {
        directory.owns(SELF, 0).owns(PEER, 1, 2);
        local.answers(0, hit("a", 0.9f));
        peer(PEER).answers(1, hit("b", 0.3f));

        ClusterSearcher.StoreAnswer answer = searcher(3, Duration.ofSeconds(5)).search(STORE, QUERY);

        assertEquals(List.of("a", "b"), ids(answer.result()));
        assertEquals(List.of(STORE + "-2"), answer.missingPartitions());
        assertEquals(1, counted("clipstream.search.peer.errors", "reason", "unanswered"));
    }

    @Test
    void unreadableMetadataAnswersEmptyWithEveryPartitionMissing() {
        directory.failing = new IllegalStateException("KafkaStreams is not running. State is REBALANCING.");

        ClusterSearcher.StoreAnswer answer = searcher(2, Duration.ofSeconds(5)).search(STORE, QUERY);

        assertEquals(List.of(), answer.result().hits());
        assertEquals(List.of(STORE + "-0", STORE + "-1"), answer.missingPartitions());
        assertEquals(1, counted("clipstream.search.peer.errors", "reason", "metadata"));
    }

    @Test
    void anItemIsLookedUpOnItsActiveHostThenItsStandbys() {
        VectorRecord record = VectorRecord.newBuilder().setId("x").setModality(Modality.IMAGE).setModelId("m")
                .setDimension(2).setVector(List.of(1f, 0f)).setMetadata(Map.of()).build();
        directory.keyOwners = Optional.of(new StoreDirectory.KeyOwners(3, List.of(PEER, SELF)));
        peer(PEER);
        local.holds(3, record);

        assertEquals(Optional.of(record), searcher(4, Duration.ofSeconds(5)).item(STORE, "x"));
        assertEquals(List.of(3), peer(PEER).itemAsked, "the active copy is asked first");
    }

    @Test
    void anItemWhosePartitionNoInstanceHoldsIsA503() {
        directory.keyOwners = Optional.empty();

        SearchException e = assertThrows(SearchException.class, () -> searcher(4, Duration.ofSeconds(5)).item(STORE, "x"));

        assertEquals(503, e.status());
        assertTrue(e.getMessage().contains("'x'") && e.getMessage().contains("retry"), e.getMessage());
    }
}
