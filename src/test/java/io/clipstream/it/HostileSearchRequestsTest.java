package io.clipstream.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.clipstream.config.ClipstreamConfig;
import io.clipstream.config.ConfigSource;
import io.clipstream.embedded.EmbeddedKafkaBroker;
import io.clipstream.schema.CaptionEvent;
import io.clipstream.schema.SearchRequest;
import io.clipstream.schema.SearchResponse;
import io.clipstream.schema.Target;
import io.clipstream.schemaregistry.HttpSchemaRegistryClient;
import io.clipstream.schemaregistry.InProcessSchemaRegistry;
import io.clipstream.schemaregistry.SchemaRegistryClient;
import io.clipstream.schemaregistry.SchemaRegistryConfig;
import io.clipstream.serde.AvroSerdes;
import io.clipstream.service.ClipstreamService;
import io.clipstream.testing.Await;
import io.clipstream.topology.Topics;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Search requests meant to stop the responder, on the real in-process broker (topic auto-creation
 * off) and registry, against a service running all three roles on the tiny fixture model. First
 * requests whose reply topic is each of the service's own and internal topics, a topic whose
 * subject holds an incompatible schema, a topic that does not exist, an over-long and an illegal
 * name: each is answered on search.responses with an error naming the topic; then 200 ordinary
 * requests are answered exactly once each, no stream thread was replaced and nothing was written
 * outside the policy. Then a fuzz run of 5,000+ mutated requests: the responder stays RUNNING, and
 * every record is answered or dead-lettered exactly once. Last, a request the responder cannot read
 * while the registry is down: its thread fails and is replaced until readiness reports the
 * responder with the record's coordinates; once the registry is back, the request is handled, not
 * skipped. Figures go to docs/RELIABILITY.md.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileSearchRequestsTest {

    static final Duration WAIT = Duration.ofMinutes(3);
    static final String ALLOWED = "replies.team-a";
    static final String STRICT = "replies.strict";
    static final String MISSING = "replies.missing";
    static final String ELSEWHERE = "elsewhere";

    EmbeddedKafkaBroker broker;
    InProcessSchemaRegistry registry;
    SchemaRegistryClient registryClient;
    AvroSerdes serdes;
    ClipstreamService service;
    Admin admin;
    Topics topics = Topics.DEFAULT;

    @BeforeAll
    void start() throws Exception {
        Path base = Path.of("target", "it", "hostile-requests-" + UUID.randomUUID());
        broker = EmbeddedKafkaBroker.start(base.resolve("kafka"), Map.of("auto.create.topics.enable", "false"));
        registry = new InProcessSchemaRegistry();
        registryClient = new HttpSchemaRegistryClient(SchemaRegistryConfig.of(registry.url().toString()));
        serdes = new AvroSerdes(registryClient, true);
        admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
        admin.createTopics(List.of(new NewTopic(ALLOWED, 2, (short) 1), new NewTopic(STRICT, 1, (short) 1),
                new NewTopic(ELSEWHERE, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        // Another application owns replies.strict's subject, with a schema a SearchResponse is not compatible with.
        registryClient.register(STRICT + "-value", new Schema.Parser().parse(
                "{\"type\":\"record\",\"name\":\"Invoice\",\"namespace\":\"acme\",\"fields\":[{\"name\":\"amount\",\"type\":\"long\"}]}"));

        Map<String, String> settings = InstanceSettings.of(broker, registry, "it-replies", "embedder,index,responder",
                base.resolve("state"), Rest.freePort());
        settings.put("topics.partitions", "2");
        settings.put("search.reply.topics.allowed", "replies.*");
        settings.put("health.thread.replacements.max", "2");
        settings.put("health.thread.replacements.window.ms", "600000");
        service = ClipstreamService.start(ClipstreamConfig.from(ConfigSource.of(settings)));
        Await.until(WAIT, "the service to run", service::ready);
        try (KafkaProducer<String, CaptionEvent> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers()), new StringSerializer(), serdes.captionEvent().serializer())) {
            for (int i = 0; i < 20; i++) {
                producer.send(new ProducerRecord<>(topics.captions(), "cap-" + i,
                        CaptionEvent.newBuilder().setId("cap-" + i).setText("a photo of thing number " + i).build()));
            }
        }
        Await.until(WAIT, "the captions to be searchable", () -> Rest.post(service.httpPort(), "/v1/search",
                "{\"text\":\"a photo\",\"target\":\"TEXT\",\"k\":20}").body().path("hits").size() == 20);
    }

    @AfterAll
    void stop() throws Exception {
        if (service != null) {
            service.close();
        }
        if (admin != null) {
            admin.close();
        }
        if (registryClient != null) {
            registryClient.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    @Order(1)
    void replyTopicsOutsideThePolicyCannotStopAnswersOrReceiveThem() throws Exception {
        Set<String> internal = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(30, TimeUnit.SECONDS).stream()
                .filter(t -> t.startsWith("it-replies-") || t.startsWith("_")).collect(Collectors.toCollection(java.util.TreeSet::new));
        assertTrue(internal.contains("__consumer_offsets") && internal.contains("__transaction_state"), internal.toString());
        List<String> own = List.of(topics.images(), topics.captions(), topics.imageVectors(), topics.textVectors(), topics.deadLetters(),
                topics.searchRequests(), topics.thumbnails(), topics.watchlists(), topics.alerts(), topics.annotations(),
                topics.watchlistVectors(), topics.watchlistBackfill());
        Map<String, String> hostile = new TreeMap<>();
        own.forEach(t -> hostile.put("own-" + t, t));
        internal.forEach(t -> hostile.put("internal-" + t, t));
        hostile.put("strict", STRICT);
        hostile.put("missing", MISSING);
        hostile.put("elsewhere", ELSEWHERE);
        hostile.put("registry", "_schemas");
        hostile.put("long", "r".repeat(250));
        hostile.put("illegal", "bad topic!");
        Map<TopicPartition, Long> before = endOffsetsOfEveryTopic();

        try (KafkaProducer<String, SearchRequest> producer = requestProducer()) {
            hostile.forEach((id, topic) -> producer.send(new ProducerRecord<>(topics.searchRequests(), id,
                    request(id).setReplyTopic(topic).build())));
        }
        Map<String, List<SearchResponse>> answers = awaitAnswers(topics.searchResponses(), hostile.keySet());
        for (Map.Entry<String, String> entry : hostile.entrySet()) {
            List<SearchResponse> answer = answers.get(entry.getKey());
            assertEquals(1, answer.size(), entry + " is answered once");
            String error = answer.get(0).getError();
            assertNotNull(error, entry + " is answered with an error");
            assertTrue(error.contains(entry.getValue().length() > 80 ? entry.getValue().substring(0, 80) : entry.getValue()),
                    "the error names the topic: " + error);
            assertTrue(error.contains("search.reply.topics.allowed") || entry.getValue().startsWith("replies."),
                    "a policy refusal names the setting: " + error);
        }
        assertTrue(answers.get("strict").get(0).getError().contains("cannot take a SearchResponse"), answers.get("strict").toString());
        assertTrue(answers.get("missing").get(0).getError().contains("does not exist"), answers.get("missing").toString());

        // Then ordinary requests, half on the default topic and half on an allowed one: each answered exactly once.
        List<String> ordinary = new ArrayList<>();
        try (KafkaProducer<String, SearchRequest> producer = requestProducer()) {
            for (int i = 0; i < 200; i++) {
                String id = "ordinary-" + i;
                ordinary.add(id);
                producer.send(new ProducerRecord<>(topics.searchRequests(), id,
                        request(id).setReplyTopic(i % 2 == 0 ? null : ALLOWED).build()));
            }
        }
        Map<String, List<SearchResponse>> onDefault = awaitAnswers(topics.searchResponses(), ordinary.stream()
                .filter(id -> Integer.parseInt(id.substring(9)) % 2 == 0).collect(Collectors.toSet()));
        Map<String, List<SearchResponse>> onAllowed = awaitAnswers(ALLOWED, ordinary.stream()
                .filter(id -> Integer.parseInt(id.substring(9)) % 2 == 1).collect(Collectors.toSet()));
        for (String id : ordinary) {
            boolean allowed = Integer.parseInt(id.substring(9)) % 2 == 1;
            List<SearchResponse> answer = (allowed ? onAllowed : onDefault).get(id);
            assertEquals(1, answer.size(), id + " answered exactly once");
            assertNull(answer.get(0).getError(), id + ": " + answer.get(0).getError());
            assertEquals(5, answer.get(0).getHits().size());
            assertEquals(0, (allowed ? onDefault : onAllowed).getOrDefault(id, List.of()).size(), id + " only where asked");
        }

        for (String application : List.of("embedder", "index", "responder")) {
            assertEquals(0, service.threadReplacements(application), "no " + application + " stream thread was replaced");
        }
        Set<String> grew = new java.util.TreeSet<>();
        endOffsetsOfEveryTopic().forEach((partition, end) -> {
            if (end > before.getOrDefault(partition, 0L)) {
                grew.add(partition.topic());
            }
        });
        Set<String> mayGrow = Set.of(topics.searchRequests(), topics.searchResponses(), ALLOWED, "__consumer_offsets",
                "__transaction_state");
        assertTrue(mayGrow.containsAll(grew), "written outside the policy: " + grew);
        System.out.printf("FIGURES reply-topics: %d hostile reply topics answered with an error on %s (%s), then %d ordinary "
                        + "requests answered exactly once; thread replacements 0; topics written: %s%n", hostile.size(),
                topics.searchResponses(), hostile.values().stream().map(t -> t.length() > 30 ? t.substring(0, 30) + "..." : t).toList(),
                ordinary.size(), grew);
    }

    @Test
    @Order(2)
    void aFuzzRunOfMutatedRequestsIsAnsweredOrDeadLetteredAndTheResponderStaysUp() throws Exception {
        List<Mutated> inputs = fuzz(new Random(20261201));
        assertTrue(inputs.size() >= 5_000, "at least 5,000 mutated requests, got " + inputs.size());
        Map<TopicPartition, Long> responsesBefore = endOffsets(topics.searchResponses());
        Map<TopicPartition, Long> lettersBefore = endOffsets(topics.deadLetters());
        AtomicReference<String> notRunning = new AtomicReference<>();
        Thread watcher = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                String state = service.states().get("responder");
                if (!"RUNNING".equals(state)) {
                    notRunning.compareAndSet(null, state);
                }
                try {
                    Thread.sleep(50); // a sampling interval, not synchronisation
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        long started = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(), ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024, ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(), new ByteArraySerializer())) {
            for (Mutated input : inputs) {
                producer.send(new ProducerRecord<>(topics.searchRequests(), input.key(), input.value()));
            }
        }
        List<ConsumerRecord<String, byte[]>> answers = new ArrayList<>();
        List<ConsumerRecord<String, byte[]>> letters = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = committedReader()) {
            Map<TopicPartition, Long> from = new HashMap<>(responsesBefore);
            from.putAll(lettersBefore);
            consumer.assign(from.keySet());
            from.forEach(consumer::seek);
            Await.until(WAIT, "every one of " + inputs.size() + " mutated requests to be answered or dead-lettered", () -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    (record.topic().equals(topics.deadLetters()) ? letters : answers).add(record);
                }
                return answers.size() + letters.size() >= inputs.size();
            });
            // Nothing more arrives than went in: one outcome per request (each request has exactly one by construction).
            consumer.poll(Duration.ofSeconds(2)).forEach(record -> (record.topic().equals(topics.deadLetters()) ? letters : answers)
                    .add(record));
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        watcher.interrupt();
        watcher.join();

        assertEquals(inputs.size(), answers.size() + letters.size(), "exactly one answer or dead letter per request");
        Map<String, Mutated> byKey = new HashMap<>();
        inputs.forEach(i -> byKey.put(i.key(), i));
        Map<String, Integer> letteredByKind = new TreeMap<>();
        Set<String> lettered = new HashSet<>();
        for (ConsumerRecord<String, byte[]> letter : letters) {
            Mutated input = byKey.get(letter.key());
            assertNotNull(input, "a dead letter carries the request's key: " + letter.key());
            assertTrue(lettered.add(letter.key()), letter.key() + " dead-lettered once");
            Header code = letter.headers().lastHeader("clipstream.dlq.reason.code");
            Header reason = letter.headers().lastHeader("clipstream.dlq.reason");
            assertTrue(code != null && reason != null && reason.value().length > 0, letter.key() + " has a reason");
            assertTrue(java.util.Arrays.equals(input.value(), letter.value()), letter.key() + " keeps its original bytes");
            letteredByKind.merge(input.kind(), 1, Integer::sum);
        }
        Map<String, Integer> answeredByKind = new TreeMap<>();
        Map<String, Integer> errorsByKind = new TreeMap<>();
        for (ConsumerRecord<String, byte[]> record : answers) {
            SearchResponse response = serdes.searchResponse().deserializer().deserialize(topics.searchResponses(), record.value());
            Mutated input = byKey.get(record.key());
            String kind = input == null ? "bit-flipped (correlation id changed)" : input.kind();
            answeredByKind.merge(kind, 1, Integer::sum);
            if (response.getError() != null) {
                errorsByKind.merge(kind, 1, Integer::sum);
            }
            if (input != null && input.mustBeRefused()) {
                assertNotNull(response.getError(), input.kind() + " " + input.key() + " must be refused");
            }
        }
        for (Mutated input : inputs) {
            if (input.mustBeDeadLettered()) {
                assertTrue(lettered.contains(input.key()), input.kind() + " " + input.key() + " must be dead-lettered");
            }
        }
        assertNull(notRunning.get(), "the responder left RUNNING");
        assertEquals(0, service.threadReplacements("responder"), "no responder stream thread was replaced");
        Map<String, Long> byKind = inputs.stream().collect(Collectors.groupingBy(Mutated::kind, TreeMap::new, Collectors.counting()));
        System.out.printf("FIGURES fuzz: %d mutated requests in %.1f s, %d answered (%d with an error), %d dead-lettered; "
                        + "responder RUNNING throughout, 0 thread replacements; inputs %s; answered %s; errors %s; dead-lettered %s%n",
                inputs.size(), seconds, answers.size(), errorsByKind.values().stream().mapToInt(Integer::intValue).sum(), letters.size(),
                byKind, answeredByKind, errorsByKind, letteredByKind);
    }

    @Test
    @Order(3)
    void aThreadThatKeepsFailingOnARecordIsReportedByReadinessWithTheRecord() throws Exception {
        // A request written with a newer (compatible) schema, so the responder must fetch it from the registry.
        Schema newer = new Schema.Parser().parse(SearchRequest.getClassSchema().toString().replaceFirst(
                "\\{\"name\":\"correlationId\"", "{\"name\":\"sentBy\",\"type\":[\"null\",\"string\"],\"default\":null},"
                        + "{\"name\":\"correlationId\""));
        int newerId = registryClient.register(topics.searchRequests() + "-value", newer);
        org.apache.avro.generic.GenericRecord request = new org.apache.avro.generic.GenericData.Record(newer);
        for (Schema.Field field : newer.getFields()) {
            request.put(field.name(), field.hasDefaultValue() ? org.apache.avro.generic.GenericData.get().getDefaultValue(field) : null);
        }
        request.put("correlationId", "after-outage");
        request.put("text", "a photo");
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        bytes.write(0);
        bytes.write(ByteBuffer.allocate(4).putInt(newerId).array());
        org.apache.avro.io.BinaryEncoder encoder = org.apache.avro.io.EncoderFactory.get().binaryEncoder(bytes, null);
        new org.apache.avro.generic.GenericDatumWriter<org.apache.avro.generic.GenericRecord>(newer).write(request, encoder);
        encoder.flush();

        int registryPort = registry.port();
        registry.close();
        long offset;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            offset = producer.send(new ProducerRecord<>(topics.searchRequests(), "after-outage", bytes.toByteArray()))
                    .get(30, TimeUnit.SECONDS).offset();
        }
        Rest.Reply ready = Await.until(WAIT, "readiness to report the responder failing", () -> {
            Rest.Reply reply = Rest.get(service.httpPort(), "/health/ready");
            return reply.status() == 503 && reply.body().has("failing") ? java.util.Optional.of(reply) : java.util.Optional.empty();
        });
        JsonNode failing = ready.body().get("failing").get(0);
        assertEquals("DOWN", ready.body().get("status").asText());
        assertEquals("responder", failing.get("application").asText());
        assertTrue(failing.get("replacements").asInt() > 2, failing.toString());
        assertEquals(topics.searchRequests(), failing.get("topic").asText(), failing.toString());
        assertEquals(offset, failing.get("offset").asLong(), failing.toString());
        assertTrue(failing.get("task").asText().startsWith("0_"), failing.toString());
        assertTrue(failing.get("error").asText().contains("unreachable") || failing.get("error").asText().contains("connect"),
                failing.toString());
        String metrics = Rest.get(service.httpPort(), "/metrics").body().get("raw").asText();
        assertTrue(metrics.contains("clipstream_stream_threads_failing{application=\"responder\"} 1.0"), "the gauge says so");

        // The registry is back (empty: the newer schema is gone), so the request is now unreadable for good: it is
        // dead-lettered, not skipped, and the responder answers again.
        registry = new InProcessSchemaRegistry(registryPort, java.util.Optional.empty());
        Await.until(WAIT, "the request to be dead-lettered once the registry answers", () -> {
            try (KafkaConsumer<String, byte[]> consumer = committedReader()) {
                List<TopicPartition> partitions = consumer.partitionsFor(topics.deadLetters()).stream()
                        .map(p -> new TopicPartition(topics.deadLetters(), p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                for (int i = 0; i < 10; i++) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        if ("after-outage".equals(record.key())) {
                            return true;
                        }
                    }
                }
                return false;
            }
        });
        System.out.printf("FIGURES health: registry down, one unreadable request: readiness DOWN after %d replacements, naming %s; "
                + "dead-lettered once the registry answered%n", failing.get("replacements").asInt(), failing);
    }

    /** One mutated request and what it must come to. */
    record Mutated(String key, byte[] value, String kind, boolean mustBeDeadLettered, boolean mustBeRefused) {
    }

    List<Mutated> fuzz(Random random) {
        List<Mutated> inputs = new ArrayList<>();
        int otherSchemaId = registryClient.register("fuzz-other-value", new Schema.Parser().parse(
                "{\"type\":\"record\",\"name\":\"Other\",\"fields\":[{\"name\":\"n\",\"type\":\"int\"}]}"));
        String[] urls = {"file:///etc/passwd", "http://127.0.0.1:1/x.png", "http://169.254.169.254/latest/meta-data/",
                "http://[::1]/a.png", "http://localhost/a.png", "http://0x7f000001/a.png", "http://2130706433/a.png",
                "gopher://10.0.0.1/", "javascript:alert(1)", "http://user:pw@10.1.2.3/a.png", "http://" + "a".repeat(3000) + "/",
                "not a url at all", "http://[fd00:ec2::254]/"};
        for (int i = 0; i < 5_200; i++) {
            String key = "fuzz-" + i;
            byte[] valid = serialize(request(key).build());
            switch (i % 13) {
                case 0 -> inputs.add(new Mutated(key, java.util.Arrays.copyOf(valid, 5 + random.nextInt(Math.max(1, valid.length - 6))),
                        "truncated", true, false));
                // Their own key prefix: a flipped digit of a "fuzz-" id would often be another request's id.
                case 1, 2 -> {
                    String flipped = "flip-" + i;
                    inputs.add(new Mutated(flipped, flip(random, serialize(request(flipped).build()), 1 + random.nextInt(8)),
                            "bit-flipped", false, false));
                }
                case 3 -> {
                    byte[] unknown = valid.clone();
                    ByteBuffer.wrap(unknown).putInt(1, 800_000 + random.nextInt(1000));
                    inputs.add(new Mutated(key, unknown, "unknown schema id", true, false));
                }
                case 4 -> {
                    byte[] other = valid.clone();
                    ByteBuffer.wrap(other).putInt(1, otherSchemaId);
                    inputs.add(new Mutated(key, other, "another subject's schema id", true, false));
                }
                case 5 -> inputs.add(new Mutated(key, serialize(request(key).setK(random.nextBoolean() ? Integer.MAX_VALUE
                        : Integer.MIN_VALUE + random.nextInt(10)).build()), "huge k", false, true));
                case 6 -> inputs.add(new Mutated(key, serialize(request(key).setText(null)
                        .setImageUrl(urls[random.nextInt(urls.length)]).build()), "hostile URL", false, true));
                case 7 -> {
                    // Every 30th of these (about 13) as large as an image may be and more: 8 to 9 MiB.
                    byte[] image = new byte[(i / 13) % 30 == 0 ? 8 * 1024 * 1024 + random.nextInt(1 << 20) : 1 + random.nextInt(64 * 1024)];
                    random.nextBytes(image);
                    inputs.add(new Mutated(key, serialize(request(key).setText(null).setImageBytes(ByteBuffer.wrap(image)).build()),
                            image.length > 1 << 20 ? "huge image bytes" : "garbage image bytes", false, true));
                }
                case 8 -> {
                    byte[] garbage = new byte[1 + random.nextInt(200)];
                    random.nextBytes(garbage);
                    garbage[0] = 1; // never the wire format's magic byte
                    inputs.add(new Mutated(key, garbage, "not the wire format", true, false));
                }
                case 9 -> {
                    byte[] name = new byte[1 + random.nextInt(300)];
                    random.nextBytes(name);
                    inputs.add(new Mutated(key, serialize(request(key).setReplyTopic(new String(name, StandardCharsets.ISO_8859_1)).build()),
                            "random reply topic", false, true));
                }
                case 10 -> inputs.add(new Mutated(key, serialize(request(key).setText("x".repeat(5_000 + random.nextInt(100_000))).build()),
                        "over-long text", false, true));
                case 11 -> {
                    Map<String, String> filters = new HashMap<>();
                    for (int f = 0; f < 100 + random.nextInt(1000); f++) {
                        filters.put("f" + f, "v" + f);
                    }
                    inputs.add(new Mutated(key, serialize(request(key).setFilters(filters).build()), "too many filters", false, true));
                }
                default -> inputs.add(new Mutated(key, valid, "valid", false, false));
            }
        }
        inputs.add(new Mutated("fuzz-tombstone", null, "empty (tombstone)", true, false));
        java.util.Collections.shuffle(inputs, random);
        return inputs;
    }

    SearchRequest.Builder request(String correlationId) {
        return SearchRequest.newBuilder().setCorrelationId(correlationId).setText("a photo").setTarget(Target.TEXT).setK(5);
    }

    byte[] serialize(SearchRequest request) {
        return serdes.searchRequest().serializer().serialize(topics.searchRequests(), request);
    }

    static byte[] flip(Random random, byte[] bytes, int bits) {
        byte[] copy = bytes.clone();
        for (int i = 0; i < bits; i++) {
            int at = 5 + random.nextInt(copy.length - 5);
            copy[at] ^= (byte) (1 << random.nextInt(8));
        }
        return copy;
    }

    KafkaProducer<String, SearchRequest> requestProducer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(), serdes.searchRequest().serializer());
    }

    KafkaConsumer<String, byte[]> committedReader() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 32 * 1024 * 1024),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** Every committed response on {@code topic}, by correlation id, once each of {@code ids} has one. */
    Map<String, List<SearchResponse>> awaitAnswers(String topic, Set<String> ids) throws InterruptedException {
        Map<String, List<SearchResponse>> byId = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = committedReader()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Await.until(WAIT, "answers to " + ids.size() + " requests on " + topic, () -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    byId.computeIfAbsent(record.key(), k -> new ArrayList<>())
                            .add(serdes.searchResponse().deserializer().deserialize(topic, record.value()));
                }
                return byId.keySet().containsAll(ids);
            });
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Await.until(WAIT, "the end of " + topic, () -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    byId.computeIfAbsent(record.key(), k -> new ArrayList<>())
                            .add(serdes.searchResponse().deserializer().deserialize(topic, record.value()));
                }
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
        }
        return byId;
    }

    Map<TopicPartition, Long> endOffsets(String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions()
                .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).forEach((p, info) -> ends.put(p, info.offset()));
        return ends;
    }

    Map<TopicPartition, Long> endOffsetsOfEveryTopic() throws Exception {
        Map<TopicPartition, Long> ends = new HashMap<>();
        for (String topic : admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(30, TimeUnit.SECONDS)) {
            ends.putAll(endOffsets(topic));
        }
        return ends;
    }
}
