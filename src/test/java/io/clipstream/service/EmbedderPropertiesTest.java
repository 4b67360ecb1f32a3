package io.clipstream.service;

import io.clipstream.config.ClipstreamConfig;
import io.clipstream.config.ConfigSource;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class EmbedderPropertiesTest {

    private static Properties embedder(Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(extra);
        settings.put("kafka.bootstrap.servers", "broker:9092");
        return ClipstreamService.embedderProperties(ClipstreamConfig.from(ConfigSource.of(settings)));
    }

    @Test
    void theEmbeddersTransactionsOutlastAStepThatWaitsForTheModel() {
        assertEquals(Integer.toString(ClipstreamService.EMBEDDER_TRANSACTION_TIMEOUT_MS),
                embedder(Map.of()).get(StreamsConfig.producerPrefix("transaction.timeout.ms")));
    }

    @Test
    void anOperatorsOwnTransactionTimeoutWinsEitherWayItIsWritten() {
        Properties prefixed = embedder(Map.of("kafka.producer.transaction.timeout.ms", "120000"));
        assertEquals("120000", prefixed.get(StreamsConfig.producerPrefix("transaction.timeout.ms")));
        Properties plain = embedder(Map.of("kafka.transaction.timeout.ms", "30000"));
        assertEquals("30000", plain.get("transaction.timeout.ms"));
        assertFalse(plain.containsKey(StreamsConfig.producerPrefix("transaction.timeout.ms")),
                "the operator's unprefixed value is not shadowed by a prefixed default");
    }
}
