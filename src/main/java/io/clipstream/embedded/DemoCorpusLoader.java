package io.clipstream.embedded;

import io.clipstream.config.ClipstreamConfig;
import io.clipstream.schema.CaptionEvent;
import io.clipstream.schema.ImageEvent;
import io.clipstream.schemaregistry.HttpSchemaRegistryClient;
import io.clipstream.schemaregistry.SchemaRegistryClient;
import io.clipstream.serde.AvroSerdes;
import io.clipstream.service.TopicProvisioner;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.HashMap;
import java.util.Map;

/**
 * Publishes the bundled demo corpus to the cluster and registry a configuration names, like any
 * producer would: used by {@code clipstream demo} for its embedded broker and by
 * {@code clipstream load-demo} for a real one (docker/compose.yaml's loader).
 */
public final class DemoCorpusLoader {

    private DemoCorpusLoader() {
    }

    /** Creates the topics first when {@code topics.create} is on, so the broker never auto-creates them with its defaults. */
    public static int load(ClipstreamConfig config) throws Exception {
        if (config.kafka().createTopics()) {
            try (Admin admin = Admin.create(clientProperties(config))) {
                new TopicProvisioner(admin).ensure(config.topics(), config.kafka());
            }
        }
        return publish(config);
    }

    /** Publishes every item of the corpus to the configured input topics; returns how many items. */
    public static int publish(ClipstreamConfig config) {
        try (SchemaRegistryClient client = new HttpSchemaRegistryClient(config.requireSchemaRegistry());
             KafkaProducer<String, ImageEvent> images = producer(config, client, ImageEvent.class);
             KafkaProducer<String, CaptionEvent> captions = producer(config, client, CaptionEvent.class)) {
            return DemoCorpus.publish(images, captions, config.topics().images(), config.topics().captions());
        } catch (Exception e) {
            throw new IllegalStateException("publishing the demo corpus to " + config.kafka().requireBootstrapServers()
                    + " failed: " + e.getMessage(), e);
        }
    }

    private static <T extends SpecificRecord> KafkaProducer<String, T> producer(ClipstreamConfig config, SchemaRegistryClient client,
                                                                                Class<T> type) {
        Map<String, Object> props = clientProperties(config);
        // Demo images are inline bytes; leave room for a large one.
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024);
        // One request in flight: right after the topics are created a partition's first batch can be refused
        // (NOT_LEADER_OR_FOLLOWER) while later in-flight batches are taken; its retry then fails for good with
        // OUT_OF_ORDER_SEQUENCE_NUMBER (seen in CI, two images lost). Sixty items need no pipelining.
        props.putIfAbsent(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        return new KafkaProducer<>(props, new StringSerializer(),
                new AvroSerdes(client, config.requireSchemaRegistry().autoRegister()).value(type).serializer());
    }

    /** The cluster's address and every kafka.* setting (security), as the service's own clients get them. */
    private static Map<String, Object> clientProperties(ClipstreamConfig config) {
        Map<String, Object> props = new HashMap<>(config.kafka().clientOverrides());
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.kafka().requireBootstrapServers());
        return props;
    }
}
