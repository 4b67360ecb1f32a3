package io.clipstream.search;

import io.clipstream.schema.Modality;
import io.clipstream.schema.Target;
import io.clipstream.schema.VectorRecord;
import io.clipstream.store.ScoredHit;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one search path over a one-instance cluster of fakes, by item id so that no model is needed. */
class SearchServiceTest {

    private static final HostInfo SELF = new HostInfo("self", 8080);
    private static final QueryLimits LIMITS = QueryLimits.DEFAULT;

    private final FakeDirectory directory = new FakeDirectory().owns(SELF, 0, 1);
    private final FakeInstance local = new FakeInstance();
    private final ClusterSearcher cluster = new ClusterSearcher(directory, SELF, local, null,
            Map.of(StoreNames.IMAGE_STORE, "image.vectors", StoreNames.TEXT_STORE, "text.vectors"), topic -> 2,
            Duration.ofSeconds(5), new SimpleMeterRegistry(), Executors.newVirtualThreadPerTaskExecutor());
    private final SearchService search = new SearchService(null, cluster, null);

    @AfterEach
    void close() {
        cluster.close();
    }

    private static ScoredHit hit(String id, Modality modality, float score) {
        return new ScoredHit(id, modality, score, Map.of(), null);
    }

    private void indexed(String id) {
        directory.keyOwners = Optional.of(new StoreDirectory.KeyOwners(0, List.of(SELF)));
        local.holds(0, VectorRecord.newBuilder().setId(id).setModality(Modality.IMAGE).setModelId("m").setDimension(2)
                .setVector(List.of(1f, 0f)).setMetadata(Map.of()).build());
    }

    private static SearchQuery moreLike(String id, Target target, int k) {
        return SearchQuery.validated(null, null, null, id, target, k, null, null, LIMITS);
    }

    @Test
    void moreLikeThisLeavesTheItemOutAndStillAnswersK() {
        indexed("x");
        local.answers(StoreNames.IMAGE_STORE, 0, hit("x", Modality.IMAGE, 1f), hit("a", Modality.IMAGE, 0.9f),
                hit("c", Modality.IMAGE, 0.7f));
        local.answers(StoreNames.IMAGE_STORE, 1, hit("b", Modality.IMAGE, 0.8f));

        SearchResult result = search.search(moreLike("x", Target.IMAGE, 2));

        assertEquals(List.of("a", "b"), result.hits().stream().map(ScoredHit::id).toList());
        assertEquals(List.of(), result.missingPartitions());
    }

    @Test
    void targetAnyMergesImagesAndCaptionsAndNamesWhatEitherMissed() {
        indexed("x");
        directory.owns(SELF, 0);
        local.answers(StoreNames.IMAGE_STORE, 0, hit("img", Modality.IMAGE, 0.4f));
        local.answers(StoreNames.TEXT_STORE, 0, hit("cap", Modality.TEXT, 0.6f), hit("cap2", Modality.TEXT, 0.1f));

        SearchResult result = search.search(moreLike("x", Target.ANY, 2));

        assertEquals(List.of("cap", "img"), result.hits().stream().map(ScoredHit::id).toList());
        assertEquals(List.of(StoreNames.IMAGE_STORE + "-1", StoreNames.TEXT_STORE + "-1"), result.missingPartitions());
    }

    @Test
    void moreLikeAnItemThatIsNotIndexedIsA404NamingIt() {
        directory.keyOwners = Optional.of(new StoreDirectory.KeyOwners(0, List.of(SELF)));

        SearchException e = assertThrows(SearchException.class, () -> search.search(moreLike("ghost", Target.IMAGE, 3)));

        assertEquals(404, e.status());
        assertTrue(e.getMessage().contains("'ghost'"), e.getMessage());
    }

    @Test
    void aQueryGivesExactlyOneOfTextImageUrlOrItem() {
        SearchException none = assertThrows(SearchException.class,
                () -> SearchQuery.validated(null, null, null, null, Target.IMAGE, 3, null, null, LIMITS));
        SearchException two = assertThrows(SearchException.class,
                () -> SearchQuery.validated("cat", null, null, "x", Target.IMAGE, 3, null, null, LIMITS));

        assertEquals(400, none.status());
        assertTrue(none.getMessage().contains("got 0"), none.getMessage());
        assertTrue(two.getMessage().contains("got 2"), two.getMessage());
    }

    @Test
    void kAndMinScoreOutsideTheirBoundsNameTheBoundAndTheSetting() {
        SearchException k = assertThrows(SearchException.class,
                () -> SearchQuery.validated("cat", null, null, null, Target.IMAGE, LIMITS.maxK() + 1, null, null, LIMITS));
        SearchException minScore = assertThrows(SearchException.class,
                () -> SearchQuery.validated("cat", null, null, null, Target.IMAGE, 3, null, 1.5f, LIMITS));

        assertTrue(k.getMessage().contains("search.max.k"), k.getMessage());
        assertTrue(minScore.getMessage().contains("between -1 and 1"), minScore.getMessage());
        assertEquals(10, SearchQuery.validated("cat", null, null, null, Target.IMAGE, null, null, null, LIMITS).k());
    }
}
