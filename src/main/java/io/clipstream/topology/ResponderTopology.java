package io.clipstream.topology;

import io.clipstream.schema.ScoredLabel;
import io.clipstream.schema.SearchHit;
import io.clipstream.schema.SearchRequest;
import io.clipstream.schema.SearchResponse;
import io.clipstream.search.QueryLimits;
import io.clipstream.search.SearchException;
import io.clipstream.search.SearchQuery;
import io.clipstream.search.SearchResult;
import io.clipstream.search.Searcher;
import io.clipstream.serde.RegistryFailures;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The responder: one response for each request on {@code search.requests}, keyed and tagged by
 * its correlation id, on the request's reply topic or {@code search.responses}. Under
 * exactly-once the response and the consumed offset commit together, so a crash neither loses
 * nor repeats an answer. A request that is not even a readable SearchRequest has no correlation
 * id to answer to and goes to the dead-letter topic.
 */
public final class ResponderTopology {

    private static final Logger LOG = LoggerFactory.getLogger(ResponderTopology.class);
    private static final Pattern LEGAL_TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private ResponderTopology() {
    }

    public static Topology build(Topics topics, Searcher search, QueryLimits limits,
                                 Deserializer<SearchRequest> requests, Serializer<SearchResponse> responses) {
        Topology topology = new Topology();
        topology.addSource("requests", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), topics.searchRequests());
        topology.addProcessor("answer", () -> new Answer(topics, search, limits, requests), "requests");
        topology.addSink("responses", (key, value, context) -> ((Reply) value).topic(), Serdes.String().serializer(),
                (topic, reply) -> reply == null ? null : responses.serialize(topic, ((Reply) reply).response()), "answer");
        topology.addSink("dead-letters", topics.deadLetters(), Serdes.String().serializer(), Serdes.ByteArray().serializer(), "answer");
        return topology;
    }

    /** A response with the topic it goes to. */
    record Reply(String topic, SearchResponse response) {
    }

    private static final class Answer implements Processor<String, byte[], String, Object> {
        private final Topics topics;
        private final Searcher search;
        private final QueryLimits limits;
        private final Deserializer<SearchRequest> requests;
        private ProcessorContext<String, Object> context;

        Answer(Topics topics, Searcher search, QueryLimits limits, Deserializer<SearchRequest> requests) {
            this.topics = topics;
            this.search = search;
            this.limits = limits;
            this.requests = requests;
        }

        @Override
        public void init(ProcessorContext<String, Object> context) {
            this.context = context;
        }

        @Override
        public void process(Record<String, byte[]> record) {
            RecordMetadata source = context.recordMetadata().orElseThrow();
            SearchRequest request;
            try {
                request = record.value() == null ? null : requests.deserialize(source.topic(), record.value());
            } catch (RuntimeException e) {
                RegistryFailures.rethrowIfTransient(e);
                deadLetter(record, source, "not a readable SearchRequest: " + e.getMessage());
                return;
            }
            if (request == null) {
                deadLetter(record, source, "empty search request; send a SearchRequest with a correlationId");
                return;
            }
            SearchResponse response = answer(request);
            String topic = replyTopic(request);
            context.forward(new Record<String, Object>(request.getCorrelationId(), new Reply(topic, response), record.timestamp(),
                    new RecordHeaders().add("clipstream.correlation.id", request.getCorrelationId().getBytes(StandardCharsets.UTF_8))),
                    "responses");
        }

        private SearchResponse answer(SearchRequest request) {
            long start = System.nanoTime();
            SearchResponse.Builder response = SearchResponse.newBuilder().setCorrelationId(request.getCorrelationId());
            try {
                SearchResult result = search.search(SearchQuery.validated(request.getText(), bytes(request.getImageBytes()),
                        request.getImageUrl(), request.getItemId(), request.getTarget(), request.getK(), request.getFilters(),
                        request.getMinScore(), limits));
                return response.setHits(result.hits().stream().map(hit -> SearchHit.newBuilder().setId(hit.id())
                                .setModality(hit.modality()).setScore(hit.score()).setMetadata(hit.metadata()).setText(hit.text())
                                .setLabels(hit.labels().stream().map(tag -> new ScoredLabel(tag.label(), tag.score())).toList())
                                .build())
                                .toList())
                        .setTookMs(result.tookMs())
                        .setMissingPartitions(result.missingPartitions())
                        .build();
            } catch (SearchException e) {
                return response.setError(e.getMessage()).setHits(List.of()).setTookMs((System.nanoTime() - start) / 1_000_000).build();
            } catch (RuntimeException e) {
                LOG.error("search request {} failed", request.getCorrelationId(), e);
                return response.setError("internal error: " + e).setHits(List.of())
                        .setTookMs((System.nanoTime() - start) / 1_000_000).build();
            }
        }

        private String replyTopic(SearchRequest request) {
            String wanted = request.getReplyTopic();
            if (wanted == null || wanted.isBlank()) {
                return topics.searchResponses();
            }
            if (!LEGAL_TOPIC.matcher(wanted).matches()) {
                LOG.warn("request {} names an illegal reply topic '{}'; answering on {}", request.getCorrelationId(), wanted,
                        topics.searchResponses());
                return topics.searchResponses();
            }
            return wanted;
        }

        private void deadLetter(Record<String, byte[]> record, RecordMetadata source, String reason) {
            LOG.warn("dead-lettering {}-{}@{}: {}", source.topic(), source.partition(), source.offset(), reason);
            DeadLetter letter = new DeadLetter(record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8),
                    record.value(), "UNREADABLE_REQUEST", reason, source.topic(), source.partition(), source.offset());
            context.forward(new Record<String, Object>(record.key(), record.value(), record.timestamp(),
                    letter.headers(record.headers())), "dead-letters");
        }

        private static byte[] bytes(ByteBuffer buffer) {
            if (buffer == null) {
                return null;
            }
            ByteBuffer copy = buffer.duplicate();
            byte[] bytes = new byte[copy.remaining()];
            copy.get(bytes);
            return bytes;
        }
    }
}
