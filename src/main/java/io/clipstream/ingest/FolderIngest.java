package io.clipstream.ingest;

import io.clipstream.common.ProgressBar;
import io.clipstream.common.ProgressBars;
import io.clipstream.config.ClipstreamConfig;
import io.clipstream.config.ConfigSource;
import io.clipstream.encoders.image.ImageFormat;
import io.clipstream.schema.CaptionEvent;
import io.clipstream.schema.ImageEvent;
import io.clipstream.schemaregistry.HttpSchemaRegistryClient;
import io.clipstream.schemaregistry.SchemaRegistryClient;
import io.clipstream.schemaregistry.SchemaRegistryConfig;
import io.clipstream.schemaregistry.SchemaRegistryException;
import io.clipstream.serde.AvroSerdes;
import io.clipstream.topology.Topics;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * {@code clipstream ingest}: sends a folder's images and a captions file's captions through the
 * event topics, as any producer would (Confluent wire format, schemas through the registry, an
 * idempotent producer), then watches the vector and dead-letter topics until every sent item has
 * an outcome or the timeout passes.
 */
public final class FolderIngest {

    /**
     * @param timeout        how long to wait for outcomes once everything is sent
     * @param connectTimeout how long to wait for Kafka to answer at all before giving up
     * @param tenant         set on every event, if given (a search filter)
     * @param category       set on every event, if given (a search filter)
     * @param language       the captions' BCP 47 language tag
     */
    public record Settings(Duration timeout, Duration connectTimeout, Optional<String> tenant, Optional<String> category,
                           String language) {
    }

    private final ClipstreamConfig config;
    private final Settings settings;
    private final ProgressBars bars;

    public FolderIngest(ClipstreamConfig config, Settings settings, ProgressBars bars) {
        this.config = config;
        this.settings = settings;
        this.bars = bars;
    }

    public IngestSummary run(IngestPlan plan, String folder) {
        Topics topics = config.topics();
        String bootstrap = config.kafka().requireBootstrapServers();
        SchemaRegistryConfig registryConfig = config.requireSchemaRegistry();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties(bootstrap),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
             SchemaRegistryClient registry = new HttpSchemaRegistryClient(registryConfig)) {
            Map<String, Integer> partitions = requireTopics(consumer, bootstrap, topics);
            OutcomeWatcher watcher = new OutcomeWatcher(consumer, topics);
            Map<String, Integer> watched = new LinkedHashMap<>();
            OutcomeWatcher.watchedTopics(topics).forEach(topic -> watched.put(topic, partitions.get(topic)));
            watcher.markEnd(watched);

            AvroSerdes serdes = new AvroSerdes(registry, registryConfig.autoRegister());
            Serializer<ImageEvent> images = serdes.imageEvent().serializer();
            Serializer<CaptionEvent> captions = serdes.captionEvent().serializer();
            requireRegistry(registryConfig, plan, () -> images.serialize(topics.images(), imageEvent("probe", new byte[]{0}, "")),
                    () -> captions.serialize(topics.captions(), captionEvent(new IngestPlan.Caption("probe#1", "probe", "probe", 0))));

            Sent sent = send(plan, topics, bootstrap, images, captions);
            sent.acknowledged.forEach(watcher::expect);
            ProgressBar bar = bars.start("indexing", sent.acknowledged.size(), "items");
            long deadline = System.nanoTime() + settings.timeout().toNanos();
            watcher.await(deadline, System::nanoTime, bar);
            bar.finish();
            return new IngestSummary(folder, plan.images().size(), plan.captions().size(), watcher.indexed(ItemKind.IMAGE),
                    watcher.indexed(ItemKind.CAPTION), plan.skipped(), watcher.deadLettered(), sent.failed,
                    watcher.pending(), settings.timeout().toSeconds());
        }
    }

    /** What the broker acknowledged and what it refused, filled in by the producer's callbacks. */
    private static final class Sent {
        final List<ItemRef> acknowledged = Collections.synchronizedList(new ArrayList<>());
        final List<Rejected> failed = Collections.synchronizedList(new ArrayList<>());
    }

    private Sent send(IngestPlan plan, Topics topics, String bootstrap, Serializer<ImageEvent> images,
                      Serializer<CaptionEvent> captions) {
        Sent sent = new Sent();
        ProgressBar bar = bars.start("sending", plan.items(), "items");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProperties(bootstrap),
                new StringSerializer(), new ByteArraySerializer())) {
            for (ImageFile image : plan.images()) {
                ItemRef item = new ItemRef(ItemKind.IMAGE, image.id());
                byte[] bytes;
                try {
                    bytes = Files.readAllBytes(image.file());
                } catch (IOException e) {
                    sent.failed.add(new Rejected(item, "READ_FAILED", "cannot read " + image.relative() + ": " + e.getMessage()));
                    bar.advance(1);
                    continue;
                }
                send(producer, topics.images(), item, () -> images.serialize(topics.images(),
                        imageEvent(image.id(), bytes, image.relative())), sent, bar);
            }
            for (IngestPlan.Caption caption : plan.captions()) {
                send(producer, topics.captions(), new ItemRef(ItemKind.CAPTION, caption.id()),
                        () -> captions.serialize(topics.captions(), captionEvent(caption)), sent, bar);
            }
            producer.flush();
        }
        bar.finish();
        return sent;
    }

    private void send(KafkaProducer<String, byte[]> producer, String topic, ItemRef item, Supplier<byte[]> serialized,
                      Sent sent, ProgressBar bar) {
        byte[] value;
        try {
            value = serialized.get();
        } catch (RuntimeException e) {
            // The schemas were registered before the first send, so this is a registry outage mid-run.
            sent.failed.add(new Rejected(item, "SERIALIZE_FAILED", e.getMessage()));
            bar.advance(1);
            return;
        }
        producer.send(new ProducerRecord<>(topic, item.id(), value), (metadata, exception) -> {
            if (exception == null) {
                sent.acknowledged.add(item);
            } else {
                sent.failed.add(new Rejected(item, "SEND_FAILED", sendFailure(topic, exception)));
            }
            bar.advance(1);
        });
    }

    private static String sendFailure(String topic, Exception exception) {
        if (exception instanceof RecordTooLargeException) {
            return "the record is larger than the broker takes on " + topic + " (" + exception.getMessage()
                    + "); raise the topic's max.message.bytes or lower image.max.bytes";
        }
        return exception.getClass().getSimpleName() + ": " + exception.getMessage();
    }

    ImageEvent imageEvent(String id, byte[] bytes, String relative) {
        return ImageEvent.newBuilder()
                .setId(id)
                .setBytes(ByteBuffer.wrap(bytes))
                .setContentType(ImageFormat.sniff(bytes).map(f -> "image/" + f.name().toLowerCase(java.util.Locale.ROOT)).orElse(null))
                .setTenant(settings.tenant().orElse(null))
                .setCategory(settings.category().orElse(null))
                .setMetadata(relative.isEmpty() ? Map.of() : Map.of("file", relative))
                .setEventTimeMs(System.currentTimeMillis())
                .build();
    }

    CaptionEvent captionEvent(IngestPlan.Caption caption) {
        return CaptionEvent.newBuilder()
                .setId(caption.id())
                .setText(caption.text())
                .setLanguage(settings.language())
                .setImageId(caption.imageId())
                .setTenant(settings.tenant().orElse(null))
                .setCategory(settings.category().orElse(null))
                .setEventTimeMs(System.currentTimeMillis())
                .build();
    }

    /** Partitions of every topic the ingest writes or watches; fails with the setting to fix when one is missing. */
    private Map<String, Integer> requireTopics(KafkaConsumer<byte[], byte[]> consumer, String bootstrap, Topics topics) {
        Map<String, List<PartitionInfo>> existing;
        try {
            existing = consumer.listTopics(settings.connectTimeout());
        } catch (KafkaException e) {
            throw new IngestFailedException("cannot reach Kafka at " + bootstrap + " within " + settings.connectTimeout().toSeconds()
                    + " s (" + e.getMessage() + "); check kafka.bootstrap.servers (or "
                    + ConfigSource.environmentName("kafka.bootstrap.servers") + ") and the kafka.* security settings", e);
        }
        Map<String, Integer> partitions = new HashMap<>();
        Map<String, String> needed = new LinkedHashMap<>();
        needed.put(topics.images(), "topics.images");
        needed.put(topics.captions(), "topics.captions");
        needed.put(topics.imageVectors(), "topics.vectors.image");
        needed.put(topics.textVectors(), "topics.vectors.text");
        needed.put(topics.deadLetters(), "topics.dlq");
        needed.forEach((topic, key) -> {
            List<PartitionInfo> info = existing.get(topic);
            if (info == null || info.isEmpty()) {
                throw new IngestFailedException("topic " + topic + " (" + key + ") does not exist on " + bootstrap
                        + "; start clipstream serve against this cluster once (it creates its topics), or set " + key
                        + " to the topic the service uses", null);
            }
            partitions.put(topic, info.size());
        });
        return partitions;
    }

    private static void requireRegistry(SchemaRegistryConfig registry, IngestPlan plan, Runnable imageProbe, Runnable captionProbe) {
        try {
            // Register (or look up) each schema before the first send, so that a registry problem stops
            // the run before anything is half sent.
            if (!plan.images().isEmpty()) {
                imageProbe.run();
            }
            if (!plan.captions().isEmpty()) {
                captionProbe.run();
            }
        } catch (RuntimeException e) {
            SchemaRegistryException cause = registryCause(e);
            if (cause == null) {
                throw e;
            }
            throw new IngestFailedException("schema registry " + registry.urls() + ": " + cause.getMessage() + " (setting "
                    + SchemaRegistryConfig.URL + " or " + ConfigSource.environmentName(SchemaRegistryConfig.URL) + ")", e);
        }
    }

    private static SchemaRegistryException registryCause(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SchemaRegistryException registry) {
                return registry;
            }
        }
        return null;
    }

    private Map<String, Object> consumerProperties(String bootstrap) {
        Map<String, Object> props = new HashMap<>(config.kafka().clientOverrides());
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "clipstream-ingest-watch-" + UUID.randomUUID());
        // The embedder writes in transactions: an aborted attempt's vectors must not count.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) settings.connectTimeout().toMillis());
        return props;
    }

    private Map<String, Object> producerProperties(String bootstrap) {
        long maxImage = config.encoder().imageLimits().maxBytes();
        // Room for the largest image the embedder takes plus the event around it.
        int maxRequest = (int) Math.min(Integer.MAX_VALUE / 2, Math.max(1L << 20, maxImage + (64 << 10)));
        Map<String, Object> props = new HashMap<>(config.kafka().clientOverrides());
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "clipstream-ingest-" + UUID.randomUUID());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRequest);
        // Bounds what is read ahead of the broker: send() blocks while this much is unacknowledged.
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Math.max(32L << 20, 2L * maxRequest));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, settings.connectTimeout().toMillis());
        return props;
    }
}
