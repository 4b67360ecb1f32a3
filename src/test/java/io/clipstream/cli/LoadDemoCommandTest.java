package io.clipstream.cli;

import io.clipstream.embedded.DemoCorpus;
import io.clipstream.embedded.EmbeddedKafkaBroker;
import io.clipstream.schema.CaptionEvent;
import io.clipstream.schema.ImageEvent;
import io.clipstream.schemaregistry.HttpSchemaRegistryClient;
import io.clipstream.schemaregistry.InProcessSchemaRegistry;
import io.clipstream.schemaregistry.SchemaRegistryClient;
import io.clipstream.schemaregistry.SchemaRegistryConfig;
import io.clipstream.serde.AvroSerdes;
import io.clipstream.testing.Await;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `clipstream load-demo` against a real (in-process) broker and registry, configured like `serve`. */
class LoadDemoCommandTest {

    @Test
    void createsTheTopicsAndPublishesEveryDemoItemInTheWireFormat(@TempDir Path dir) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"));
             InProcessSchemaRegistry registry = new InProcessSchemaRegistry()) {
            Path config = dir.resolve("clipstream.properties");
            Files.writeString(config, "kafka.bootstrap.servers=" + broker.bootstrapServers() + "\n"
                    + "schema.registry.url=" + registry.url() + "\n"
                    + "topics.partitions=2\ntopics.replication.factor=1\n");
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine cli = ClipstreamCommand.newCommandLine();
            cli.setOut(new PrintWriter(out));
            cli.setErr(new PrintWriter(err));

            assertEquals(0, cli.execute("load-demo", "--config", config.toString()), err.toString());

            int items = DemoCorpus.items().size();
            assertTrue(out.toString().contains("published " + items + " demo images"), out.toString());
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                Map<String, TopicDescription> topics = admin.describeTopics(List.of("media.images", "vectors.image"))
                        .allTopicNames().get();
                assertEquals(2, topics.get("media.images").partitions().size(), "created with topics.partitions, not the broker default");
                ConfigResource vectors = new ConfigResource(ConfigResource.Type.TOPIC, "vectors.image");
                assertEquals(TopicConfig.CLEANUP_POLICY_COMPACT, admin.describeConfigs(List.of(vectors)).all().get()
                        .get(vectors).get(TopicConfig.CLEANUP_POLICY_CONFIG).value());
            }
            try (SchemaRegistryClient client = new HttpSchemaRegistryClient(SchemaRegistryConfig.of(registry.url().toString()))) {
                AvroSerdes serdes = new AvroSerdes(client, false);
                Map<String, ImageEvent> images = consume(broker, "media.images", serdes.imageEvent().deserializer(), items);
                Map<String, CaptionEvent> captions = consume(broker, "media.captions", serdes.captionEvent().deserializer(), items);
                Set<String> ids = DemoCorpus.items().stream().map(DemoCorpus.Item::id).collect(Collectors.toCollection(TreeSet::new));
                assertEquals(ids, images.keySet());
                images.forEach((id, event) -> {
                    assertEquals(id, event.getId());
                    assertTrue(event.getBytes().remaining() > 0, id + " carries its image bytes");
                });
                assertEquals(ids, captions.values().stream().map(CaptionEvent::getImageId).collect(Collectors.toCollection(TreeSet::new)));
            }
        }
    }

    private static <T> Map<String, T> consume(EmbeddedKafkaBroker broker, String topic, Deserializer<T> values, int expected)
            throws InterruptedException {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        Map<String, T> seen = new TreeMap<>();
        try (KafkaConsumer<String, T> consumer = new KafkaConsumer<>(props, new StringDeserializer(), values)) {
            // Assigned, not subscribed: a group join would first create __consumer_offsets (50 partitions) on the fresh
            // broker, which on a loaded CI machine took longer than the wait, and the group is not what is tested here.
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Await.until(Duration.ofSeconds(60), expected + " records on " + topic, () -> {
                for (ConsumerRecord<String, T> record : consumer.poll(Duration.ofMillis(200))) {
                    seen.put(record.key(), record.value());
                }
                return seen.size() >= expected;
            });
        }
        return seen;
    }
}
