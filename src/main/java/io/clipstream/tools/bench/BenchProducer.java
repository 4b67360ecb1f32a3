package io.clipstream.tools.bench;

import io.clipstream.common.ProgressBar;
import io.clipstream.schemaregistry.HttpSchemaRegistryClient;
import io.clipstream.schemaregistry.SchemaRegistryClient;
import io.clipstream.schemaregistry.SchemaRegistryConfig;
import io.clipstream.serde.AvroSerdes;
import io.clipstream.serde.ConfluentAvroSerde;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Sends prepared records, keyed by item id, as fast as one producer goes: serialised the way any
 * Confluent-compatible producer would (Avro, schema registry), with batching tuned for throughput.
 */
final class BenchProducer implements AutoCloseable {

    private final String bootstrapServers;
    private final SchemaRegistryClient registry;
    private final AvroSerdes serdes;

    BenchProducer(String bootstrapServers, String schemaRegistryUrl) {
        this.bootstrapServers = bootstrapServers;
        this.registry = new HttpSchemaRegistryClient(SchemaRegistryConfig.of(schemaRegistryUrl));
        this.serdes = new AvroSerdes(registry, true);
    }

    /**
     * Sends every record, flushes, and returns what the broker acknowledged. Every record is made and serialised
     * (Avro, schema registry, as any Confluent-compatible producer would) before the clock starts at the first send:
     * a real producer runs on machines of its own, and on a small benchmark machine the Avro writer and the vector
     * generator would otherwise take cores from the service being measured. The bar counts acknowledgements (a lock
     * and a clock read per record on the producer's I/O thread, drawn a few times a second).
     */
    <T extends SpecificRecord> ProducedRecords send(String topic, List<T> records, Function<T, String> idOf,
                                                    Function<AvroSerdes, ConfluentAvroSerde<T>> serde, ProgressBar bar) {
        if (records.isEmpty()) {
            throw new IllegalArgumentException("nothing to send to " + topic);
        }
        Serializer<T> values = serde.apply(serdes).serializer();
        int count = records.size();
        String[] ids = new String[count];
        byte[][] bytes = new byte[count][];
        for (int i = 0; i < count; i++) {
            T record = records.get(i);
            ids[i] = idOf.apply(record);
            bytes[i] = values.serialize(topic, record);
        }
        ProducedRecords produced = new ProducedRecords();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(properties(), new StringSerializer(),
                new ByteArraySerializer())) {
            produced.sending(System.nanoTime());
            for (int i = 0; i < count; i++) {
                String id = ids[i];
                producer.send(new ProducerRecord<>(topic, id, bytes[i]),
                        (metadata, exception) -> {
                            produced.acknowledged(id, metadata, exception, System.nanoTime());
                            bar.advance(1);
                        });
                bytes[i] = null;
            }
            producer.flush();
        }
        bar.finish();
        produced.requireAllAcknowledged(count, topic);
        return produced;
    }

    private Map<String, Object> properties() {
        return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024);
    }

    @Override
    public void close() {
        registry.close();
    }
}
