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
import io.clipstream.schemaregistry.SchemaRegistryException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The responder topology: each request in, exactly one response out, keyed by its correlation id. */
class ResponderTopologyTest {

    TopologyTestDriver driver;
    TestInputTopic<String, byte[]> requests;
    final List<SearchQuery> seen = new ArrayList<>();
    /** What the cluster says of each topic; absent: exists, writable, no size limit to speak of. */
    final Map<String, ReplyTopics.Facts> facts = new java.util.HashMap<>();
    /** Topics whose registry subject refuses a SearchResponse, and topics whose registry cannot be reached. */
    final java.util.Set<String> incompatible = new java.util.HashSet<>();
    final java.util.Set<String> registryDown = new java.util.HashSet<>();

    final Serializer<SearchResponse> plain = PlainAvro.serializer(SearchResponse.class);
    final Serializer<SearchResponse> responses = (topic, response) -> {
        if (registryDown.contains(topic)) {
            throw new SerializationException("could not get a schema id", new SchemaRegistryException(
                    "schema registry at http://r:8081 is unreachable", SchemaRegistryException.UNREACHABLE, -1, "http://r:8081"));
        }
        if (incompatible.contains(topic)) {
            throw new SerializationException("could not get a schema id for io.clipstream.schema.SearchResponse under subject '"
                    + topic + "-value'", new SchemaRegistryException("Schema being registered is incompatible with an earlier schema",
                    SchemaRegistryException.INCOMPATIBLE_SCHEMA, 409, "http://r:8081"));
        }
        return plain.serialize(topic, response);
    };

    final Searcher searcher = query -> {
        seen.add(query);
        if (query.itemId().isPresent()) {
            throw new SearchException(404, "item '" + query.itemId().get() + "' is not indexed");
        }
        return new SearchResult(List.of(new ScoredHit("img-1", Modality.IMAGE, 0.9f, Map.of("k", "v"), null,
                        List.of(new io.clipstream.common.Tag("cat", 0.4f))),
                new ScoredHit("img-2", Modality.IMAGE, 0.5f, Map.of(), null)), 3, List.of("vectors-image-store-2"));
    };

    @BeforeEach
    void start() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "responder-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, "target/streams-state/responder-test");
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class.getName());
        ReplyTopicPolicy policy = new ReplyTopicPolicy(Topics.DEFAULT, "clipstream", ReplyTopicSettings.parse("team-a.*,replies"));
        driver = new TopologyTestDriver(ResponderTopology.build(Topics.DEFAULT, searcher, QueryLimits.DEFAULT,
                PlainAvro.deserializer(SearchRequest.class), responses, policy,
                topic -> facts.getOrDefault(topic, new ReplyTopics.Facts(true, true, 1 << 20))), props);
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
        assertEquals(1, replies.size(), "the request's reply topic is honoured when search.reply.topics.allowed allows it");
        assertEquals("r2", replies.get(0).key());
    }

    /** The error answer on search.responses for each request, by correlation id. */
    Map<String, String> errorsOnDefaultTopic() {
        Map<String, String> errors = new java.util.HashMap<>();
        responses(Topics.DEFAULT.searchResponses()).readRecordsToList().forEach(r -> {
            assertEquals(List.of(), r.value().getHits(), "an error answer has no hits");
            errors.put(r.key(), r.value().getError());
        });
        return errors;
    }

    @Test
    void replyTopicsOutsideThePolicyAreAnsweredOnSearchResponsesWithTheReason() {
        Topics t = Topics.DEFAULT;
        List<String> own = List.of(t.images(), t.captions(), t.imageVectors(), t.textVectors(), t.deadLetters(), t.searchRequests(),
                t.thumbnails(), t.watchlists(), t.alerts(), t.annotations(), t.watchlistVectors(), t.watchlistBackfill(),
                "__consumer_offsets", "_schemas", "clipstream-index-thumbnails-store-changelog", "other-app-x-repartition",
                "team-b.replies");
        for (String topic : own) {
            send(SearchRequest.newBuilder().setCorrelationId("to-" + topic).setText("a cat").setReplyTopic(topic).build());
        }
        String longName = "a".repeat(250);
        send(SearchRequest.newBuilder().setCorrelationId("long").setText("a cat").setReplyTopic(longName).build());
        send(SearchRequest.newBuilder().setCorrelationId("illegal").setText("a cat").setReplyTopic("bad topic!\n").build());

        Map<String, String> errors = errorsOnDefaultTopic();
        assertEquals(own.size() + 2, errors.size(), errors.toString());
        for (String topic : own) {
            String error = errors.get("to-" + topic);
            assertTrue(error.contains("'" + topic + "'") && error.contains("search.reply.topics.allowed"), error);
            assertTrue(responses(topic).isEmpty(), "nothing was written to " + topic);
        }
        assertTrue(errors.get("to-" + t.imageVectors()).contains("topics.vectors.image"), "names which of the service's topics");
        assertTrue(errors.get("long").contains("250 characters") && errors.get("long").contains("not a legal Kafka topic name"),
                errors.get("long"));
        assertTrue(errors.get("illegal").contains("'bad topic!\\u000a'"), "control characters are shown escaped: " + errors.get("illegal"));
        assertTrue(seen.isEmpty(), "a refused request is not searched");
    }

    @Test
    void aReplyTopicThatIsMissingUnwritableOrRefusesTheSchemaGetsTheErrorOnSearchResponses() {
        facts.put("team-a.missing", new ReplyTopics.Facts(false, false, 0));
        facts.put("team-a.locked", new ReplyTopics.Facts(true, false, 1 << 20));
        incompatible.add("team-a.strict");
        for (String topic : List.of("team-a.missing", "team-a.locked", "team-a.strict")) {
            send(SearchRequest.newBuilder().setCorrelationId(topic).setText("a cat").setReplyTopic(topic).build());
        }
        Map<String, String> errors = errorsOnDefaultTopic();
        assertTrue(errors.get("team-a.missing").contains("does not exist"), errors.toString());
        assertTrue(errors.get("team-a.locked").contains("WRITE"), errors.toString());
        assertTrue(errors.get("team-a.strict").contains("cannot take a SearchResponse")
                && errors.get("team-a.strict").contains("incompatible"), errors.toString());
        assertTrue(responses("team-a.strict").isEmpty());
    }

    @Test
    void anAnswerTooLargeForItsTopicBecomesAnErrorAnswerThere() {
        facts.put("replies", new ReplyTopics.Facts(true, true, 1_100));
        send(SearchRequest.newBuilder().setCorrelationId("big").setText("a cat").setReplyTopic("replies").build());
        List<TestRecord<String, SearchResponse>> out = responses("replies").readRecordsToList();
        assertEquals(1, out.size());
        assertTrue(out.get(0).value().getError().contains("max.message.bytes"), out.get(0).value().getError());
        assertEquals(List.of(), out.get(0).value().getHits());
    }

    @Test
    void aRequestNoTopicCanBeAnsweredOnIsDeadLettered() {
        incompatible.add(Topics.DEFAULT.searchResponses());
        send(SearchRequest.newBuilder().setCorrelationId("nowhere").setText("a cat").build());
        assertTrue(responses(Topics.DEFAULT.searchResponses()).isEmpty());
        var letters = driver.createOutputTopic(Topics.DEFAULT.deadLetters(), Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer()).readRecordsToList();
        assertEquals(1, letters.size());
        assertEquals("UNANSWERABLE_REQUEST", new String(letters.get(0).headers().lastHeader(DeadLetter.REASON_CODE).value(),
                java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(new String(letters.get(0).headers().lastHeader(DeadLetter.REASON).value(),
                java.nio.charset.StandardCharsets.UTF_8).contains("incompatible"));
    }

    @Test
    void aRegistryOutageFailsTheTaskInsteadOfAnsweringOrDeadLettering() {
        registryDown.add(Topics.DEFAULT.searchResponses());
        assertThrows(org.apache.kafka.streams.errors.StreamsException.class,
                () -> send(SearchRequest.newBuilder().setCorrelationId("later").setText("a cat").build()));
        assertTrue(responses(Topics.DEFAULT.searchResponses()).isEmpty());
        assertTrue(driver.createOutputTopic(Topics.DEFAULT.deadLetters(), Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer()).isEmpty(), "nothing is dead-lettered for an outage: the request is retried");
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
