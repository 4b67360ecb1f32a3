package io.clipstream.topology;

import io.clipstream.schemaregistry.SchemaRegistryException;
import io.clipstream.serde.RegistryFailures;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A record that cannot be read because the registry is down is retried, never dead-lettered; a
 * record that cannot be read because of what it is goes to the dead-letter topic.
 */
class RegistryOutageTest {

    static SerializationException outage() {
        return new SerializationException("could not fetch schema 3",
                new SchemaRegistryException("schema registry at http://r:8081 is unreachable", SchemaRegistryException.UNREACHABLE, -1,
                        "http://r:8081"));
    }

    static SerializationException unknownSchema() {
        return new SerializationException("schema id 42 is not known",
                new SchemaRegistryException("schema id 42 is not known", SchemaRegistryException.SCHEMA_NOT_FOUND, 404, "http://r:8081"));
    }

    @Test
    void classifiesRegistryFailures() {
        assertTrue(RegistryFailures.isTransient(outage()));
        assertTrue(RegistryFailures.isTransient(new SerializationException(new SchemaRegistryException("boom", 50001, 503, "u"))));
        assertFalse(RegistryFailures.isTransient(unknownSchema()));
        assertFalse(RegistryFailures.isTransient(new SerializationException("not the wire format")));
    }

    @Test
    void deserializationHandlerFailsOnOutageAndDeadLettersBadData() {
        DeadLetterDeserializationHandler handler = new DeadLetterDeserializationHandler();
        handler.configure(Map.of(DeadLetterDeserializationHandler.TOPIC_CONFIG, "my.dlq"));
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("vectors.image", 2, 17L, "k".getBytes(StandardCharsets.UTF_8),
                "v".getBytes(StandardCharsets.UTF_8));

        DeserializationExceptionHandler.Response retry = handler.handleError(null, record, outage());
        assertEquals(DeserializationExceptionHandler.Result.FAIL, retry.result());
        assertTrue(retry.deadLetterQueueRecords().isEmpty());

        DeserializationExceptionHandler.Response letter = handler.handleError(null, record, unknownSchema());
        assertEquals(DeserializationExceptionHandler.Result.RESUME, letter.result());
        assertEquals(1, letter.deadLetterQueueRecords().size());
        var dead = letter.deadLetterQueueRecords().get(0);
        assertEquals("my.dlq", dead.topic());
        assertEquals("v", new String(dead.value(), StandardCharsets.UTF_8));
        assertEquals("17", new String(dead.headers().lastHeader(DeadLetter.SOURCE_OFFSET).value(), StandardCharsets.UTF_8));
        assertTrue(new String(dead.headers().lastHeader(DeadLetter.REASON).value(), StandardCharsets.UTF_8).contains("42"));
    }
}
