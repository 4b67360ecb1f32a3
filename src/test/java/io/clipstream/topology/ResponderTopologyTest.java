package io.clipstream.topology;

import io.clipstream.schema.Modality;
import io.clipstream.schema.SearchRequest;
import io.clipstream.schema.SearchResponse;
import io.clipstream.schema.Target;
import io.clipstream.search.QueryLimits;
import io.clipstream.search.SearchException;
import io.clipstream.search.SearchQuery;
import io.clipstream.search.SearchResult;
import io.clipstream.search.Searcher;
import io.clipstream.store.ScoredHit;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The responder topology: each request in, exactly one response out, keyed by its correlation id. */
class ResponderTopologyTest {

    TopologyTestDriver driver;
    TestInputTopic<String, byte[]> requests;
    final List<SearchQuery> seen = new ArrayList<>();

    final Searcher searcher = query -> {
        seen.add(query);
        if (query.itemId().isPresent()) {
            throw new SearchException(404, "item '" + query.itemId().get() + "' is not indexed");
        }
        return new SearchResult(List.of(new ScoredHit("img-1", Modality.IMAGE, 0.9f, Map.of("k", "v"), null,
                        List.of(new io.clipstream.tagging.Tag("cat", 0.4f))),
                new ScoredHit("img-2", Modality.IMAGE, 0.5f, Map.of(), null)), 3, List.of("vectors-image-store-2"));
    };

    @BeforeEach
    void start() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "responder-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, "target/streams-state/responder-test");
        driver = new TopologyTestDriver(ResponderTopology.build(Topics.DEFAULT, searcher, QueryLimits.DEFAULT,
                PlainAvro.deserializer(SearchRequest.class), PlainAvro.serializer(SearchResponse.class)), props);
        requests = driver.createInputTopic(Topics.DEFAULT.searchRequests(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    TestOutputTopic<String, SearchResponse> responses(String topic) {
        return driver.createOutputTopic(topic, Serdes.String().deserializer(), PlainAvro.deserializer(SearchResponse.class));
    }

    void send(SearchRequest request) {
        requests.pipeInput(request.getCorrelationId(), PlainAvro.serializer(SearchRequest.class).serialize("t", request));
    }

    @Test
    void eachRequestGetsOneResponseWithItsCorrelationId() {
        send(SearchRequest.newBuilder().setCorrelationId("r1").setText("a cat").setTarget(Target.IMAGE).setK(2)
                .setFilters(Map.of("tenant", "acme")).build());
        send(SearchRequest.newBuilder().setCorrelationId("r2").setText("a dog").setTarget(Target.ANY).setK(5)
                .setReplyTopic("team-a.replies").build());

        List<TestRecord<String, SearchResponse>> out = responses(Topics.DEFAULT.searchResponses()).readRecordsToList();
        assertEquals(1, out.size());
        assertEquals("r1", out.get(0).key());
        SearchResponse response = out.get(0).value();
        assertEquals("r1", response.getCorrelationId());
        assertEquals(List.of("img-1", "img-2"), response.getHits().stream().map(h -> h.getId()).toList());
        assertEquals(List.of("vectors-image-store-2"), response.getMissingPartitions());
        assertEquals(List.of(new io.clipstream.schema.ScoredLabel("cat", 0.4f)), response.getHits().get(0).getLabels(),
                "zero-shot labels travel with the hit");
        assertEquals(List.of(), response.getHits().get(1).getLabels());
        assertNull(response.getError());
        assertEquals(Map.of("tenant", "acme"), seen.get(0).filters());

        List<TestRecord<String, SearchResponse>> replies = responses("team-a.replies").readRecordsToList();
        assertEquals(1, replies.size(), "the request's reply topic is honoured");
        assertEquals("r2", replies.get(0).key());
    }

    @Test
    void invalidRequestsAreAnsweredWithTheReasonAndUnreadableOnesDeadLettered() {
        send(SearchRequest.newBuilder().setCorrelationId("bad-k").setText("x").setK(5000).build());
        send(SearchRequest.newBuilder().setCorrelationId("nothing").build());
        send(SearchRequest.newBuilder().setCorrelationId("missing-item").setItemId("nope").build());
        requests.pipeInput("garbage", new byte[]{9, 9, 9});

        Map<String, String> errors = new java.util.HashMap<>();
        responses(Topics.DEFAULT.searchResponses()).readRecordsToList().forEach(r -> errors.put(r.key(), r.value().getError()));
        assertEquals(3, errors.size(), errors.toString());
        assertTrue(errors.get("bad-k").contains("k must be between 1 and 1000"));
        assertTrue(errors.get("nothing").contains("give exactly one of"));
        assertTrue(errors.get("missing-item").contains("is not indexed"));

        var letters = driver.createOutputTopic(Topics.DEFAULT.deadLetters(), Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer()).readRecordsToList();
        assertEquals(1, letters.size());
        assertEquals("garbage", letters.get(0).key());
    }
}
