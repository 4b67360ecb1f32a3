package io.clipstream.topology;

import io.clipstream.logging.RateLimitedLog;
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
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The responder: one answer for each request on {@code search.requests}, keyed and tagged by its
 * correlation id, on the request's reply topic when {@link ReplyTopicPolicy} allows it, else on
 * {@code search.responses} with an error saying why. Under exactly-once the answer and the
 * consumed offset commit together, so a crash neither loses nor repeats an answer.
 *
 * <p>Nothing a request holds can fail the task: the answer is serialised here, not in the sink, and
 * checked against the reply topic before it is forwarded (that the topic exists, that the service
 * may write to it, that its registry subject takes a SearchResponse, that the answer fits its size
 * limit), because a record the producer cannot deliver aborts the whole transaction and the task
 * would meet the same request again on every retry. A reply topic that fails a check gets the
 * error on {@code search.responses} instead; a request that cannot be answered even there, or is
 * not a readable SearchRequest, goes to the dead-letter topic with its bytes and the reason. Only a
 * failure that retrying heals (registry or cluster unreachable) fails the task, to be retried from
 * the last commit.
 */
public final class ResponderTopology {

    static final String CORRELATION_HEADER = "clipstream.correlation.id";
    /** Room for the record's own framing and headers beside key and value, below a topic's size limit. */
    static final int RECORD_OVERHEAD_BYTES = 1024;

    private static final Logger LOG = LoggerFactory.getLogger(ResponderTopology.class);

    private ResponderTopology() {
    }

    /** Without a reply-topic allowlist (every answer on search.responses) and without a cluster to check topics on. */
    public static Topology build(Topics topics, Searcher search, QueryLimits limits,
                                 Deserializer<SearchRequest> requests, Serializer<SearchResponse> responses) {
        return build(topics, search, limits, requests, responses, new ReplyTopicPolicy(topics, "clipstream", ReplyTopicSettings.NONE),
                ReplyTopics.UNCHECKED);
    }

    public static Topology build(Topics topics, Searcher search, QueryLimits limits, Deserializer<SearchRequest> requests,
                                 Serializer<SearchResponse> responses, ReplyTopicPolicy policy, ReplyTopics replyTopics) {
        Topology topology = new Topology();
        topology.addSource("requests", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), topics.searchRequests());
        topology.addProcessor("answer", () -> new Answer(search, limits, requests, responses, policy, replyTopics),
                "requests");
        topology.addSink("responses", (key, value, context) -> ((Reply) value).topic(), Serdes.String().serializer(),
                (topic, reply) -> reply == null ? null : ((Reply) reply).bytes(), "answer");
        topology.addSink("dead-letters", topics.deadLetters(), Serdes.String().serializer(), Serdes.ByteArray().serializer(), "answer");
        return topology;
    }

    /** A serialised answer with the topic it goes to. */
    record Reply(String topic, byte[] bytes) {
    }

    /** An answer that cannot be written where it was meant to go, and why. */
    private static final class Undeliverable extends Exception {
        Undeliverable(String reason) {
            super(reason, null, false, false);
        }
    }

    private static final class Answer implements Processor<String, byte[], String, Object> {
        private static final RateLimitedLog REFUSED = new RateLimitedLog(LOG, Duration.ofSeconds(10));

        private final Searcher search;
        private final QueryLimits limits;
        private final Deserializer<SearchRequest> requests;
        private final Serializer<SearchResponse> responses;
        private final ReplyTopicPolicy policy;
        private final ReplyTopics replyTopics;
        private ProcessorContext<String, Object> context;

        Answer(Searcher search, QueryLimits limits, Deserializer<SearchRequest> requests,
               Serializer<SearchResponse> responses, ReplyTopicPolicy policy, ReplyTopics replyTopics) {
            this.search = search;
            this.limits = limits;
            this.requests = requests;
            this.responses = responses;
            this.policy = policy;
            this.replyTopics = replyTopics;
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
                deadLetter(record, source, "UNREADABLE_REQUEST", "not a readable SearchRequest: " + e.getMessage());
                return;
            }
            if (request == null) {
                deadLetter(record, source, "UNREADABLE_REQUEST", "empty search request; send a SearchRequest with a correlationId");
                return;
            }
            ReplyTopicPolicy.Decision decision = policy.decide(request.getReplyTopic());
            if (decision instanceof ReplyTopicPolicy.Refused refused) {
                REFUSED.warn("request {}: {}", request.getCorrelationId(), refused.reason());
                answerWithError(record, source, request, refused.reason());
                return;
            }
            SearchResponse response = answer(request);
            try {
                forward(request, decision.topic(), response, record.timestamp());
            } catch (Undeliverable e) {
                REFUSED.warn("request {}: {}", request.getCorrelationId(), e.getMessage());
                answerWithError(record, source, request, e.getMessage());
            }
        }

        /** An error answer on the default topic; dead-lettered when even that cannot be written. */
        private void answerWithError(Record<String, byte[]> record, RecordMetadata source, SearchRequest request, String error) {
            try {
                forward(request, policy.defaultTopic(), failed(request, error, 0), record.timestamp());
            } catch (Undeliverable e) {
                deadLetter(record, source, "UNANSWERABLE_REQUEST", error + "; and the error answer cannot be written either: "
                        + e.getMessage());
            }
        }

        /** Checks the topic, serialises and forwards; an answer too large for the topic becomes an error answer there. */
        private void forward(SearchRequest request, String topic, SearchResponse response, long timestamp) throws Undeliverable {
            ReplyTopics.Facts facts = replyTopics.facts(topic);
            if (!facts.exists()) {
                throw new Undeliverable("reply topic " + ReplyTopicPolicy.shown(topic) + " does not exist and the cluster does "
                        + "not create topics on demand; create it, or leave replyTopic empty to be answered on " + policy.defaultTopic());
            }
            if (!facts.writable()) {
                throw new Undeliverable("this service may not write to reply topic " + ReplyTopicPolicy.shown(topic)
                        + " (its principal has no WRITE permission there); grant it, or leave replyTopic empty");
            }
            String key = request.getCorrelationId();
            byte[] bytes = serialize(topic, response);
            int size = bytes.length + utf8Length(key) + RECORD_OVERHEAD_BYTES;
            if (size > facts.maxRecordBytes()) {
                bytes = serialize(topic, failed(request, "the answer of " + bytes.length + " bytes (" + response.getHits().size()
                        + " hits) is over the " + facts.maxRecordBytes() + " bytes reply topic " + ReplyTopicPolicy.shown(topic)
                        + " takes (its max.message.bytes); ask for fewer hits (k) or raise the topic's limit", response.getTookMs()));
            }
            Headers headers = new RecordHeaders().add(CORRELATION_HEADER, key.getBytes(StandardCharsets.UTF_8));
            context.forward(new Record<String, Object>(key, new Reply(topic, bytes), timestamp, headers), "responses");
        }

        private byte[] serialize(String topic, SearchResponse response) throws Undeliverable {
            try {
                return responses.serialize(topic, response);
            } catch (RuntimeException e) {
                RegistryFailures.rethrowIfTransient(e);
                throw new Undeliverable("reply topic " + ReplyTopicPolicy.shown(topic) + " cannot take a SearchResponse: "
                        + FailedRecords.describe(e));
            }
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
                return failed(request, e.getMessage(), (System.nanoTime() - start) / 1_000_000);
            } catch (RuntimeException e) {
                RegistryFailures.rethrowIfTransient(e);
                LOG.error("search request {} failed", request.getCorrelationId(), e);
                return failed(request, "internal error: " + e, (System.nanoTime() - start) / 1_000_000);
            }
        }

        private static SearchResponse failed(SearchRequest request, String error, long tookMs) {
            return SearchResponse.newBuilder().setCorrelationId(request.getCorrelationId()).setError(error).setHits(List.of())
                    .setTookMs(tookMs).build();
        }

        private void deadLetter(Record<String, byte[]> record, RecordMetadata source, String code, String reason) {
            REFUSED.warn("dead-lettering {}-{}@{}: {}", source.topic(), source.partition(), source.offset(), reason);
            DeadLetter letter = new DeadLetter(record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8),
                    record.value(), code, reason, source.topic(), source.partition(), source.offset());
            context.forward(new Record<String, Object>(record.key(), record.value(), record.timestamp(),
                    letter.headers(record.headers())), "dead-letters");
        }

        private static int utf8Length(String text) {
            return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
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
