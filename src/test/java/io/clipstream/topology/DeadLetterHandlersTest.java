package io.clipstream.topology;

import io.clipstream.schemaregistry.SchemaRegistryException;
import io.clipstream.testing.ErrorContexts;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The production and processing handlers every application runs with: what is retried, what is
 * dead-lettered with the input's bytes and the reason, and what fails the task to be reported.
 */
class DeadLetterHandlersTest {

    static final byte[] KEY = "item-1".getBytes(StandardCharsets.UTF_8);
    static final byte[] VALUE = {0, 0, 0, 0, 7, 1, 2, 3};
    final FailedRecords failed = new FailedRecords();
    final Map<String, Object> configs = Map.of(DeadLetterDeserializationHandler.TOPIC_CONFIG, "my.dlq",
            StreamsConfig.APPLICATION_ID_CONFIG, "app-embedder", FailedRecords.CONFIG, failed);
    final ErrorContexts context = ErrorContexts.of("media.images", 3, 99, new TaskId(0, 3), KEY, VALUE);

    static SerializationException incompatible() {
        return new SerializationException("could not get a schema id under subject 'vectors.image-value'",
                new SchemaRegistryException("Schema being registered is incompatible with an earlier schema",
                        SchemaRegistryException.INCOMPATIBLE_SCHEMA, 409, "http://r:8081"));
    }

    static SerializationException outage() {
        return new SerializationException("could not get a schema id", new SchemaRegistryException("unreachable",
                SchemaRegistryException.UNREACHABLE, -1, "http://r:8081"));
    }

    static String header(ProducerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    DeadLetterProductionHandler production() {
        DeadLetterProductionHandler handler = new DeadLetterProductionHandler();
        handler.configure(configs);
        return handler;
    }

    @Test
    void anOutputTheRegistryRefusesForGoodDeadLettersTheInputAndGoesOn() {
        var response = production().handleSerializationError(context, new ProducerRecord<>("vectors.image", "item-1", "a vector"),
                incompatible(), ProductionExceptionHandler.SerializationExceptionOrigin.VALUE);
        assertEquals(ProductionExceptionHandler.Result.RESUME, response.result());
        ProducerRecord<byte[], byte[]> letter = response.deadLetterQueueRecords().get(0);
        assertEquals("my.dlq", letter.topic());
        assertArrayEquals(KEY, letter.key());
        assertArrayEquals(VALUE, letter.value(), "the original input bytes");
        assertEquals("UNWRITABLE_OUTPUT", header(letter, DeadLetter.REASON_CODE));
        assertTrue(header(letter, DeadLetter.REASON).contains("vectors.image") && header(letter, DeadLetter.REASON).contains("409")
                || header(letter, DeadLetter.REASON).contains("incompatible"), header(letter, DeadLetter.REASON));
        assertEquals("media.images", header(letter, DeadLetter.SOURCE_TOPIC));
        assertEquals("99", header(letter, DeadLetter.SOURCE_OFFSET));
    }

    @Test
    void anOutputOfAnotherInputOfTheBatchCarriesItsKeyNotTheseBytes() {
        var response = production().handleSerializationError(context, new ProducerRecord<>("vectors.image", "item-7", "a vector"),
                incompatible(), ProductionExceptionHandler.SerializationExceptionOrigin.VALUE);
        ProducerRecord<byte[], byte[]> letter = response.deadLetterQueueRecords().get(0);
        assertArrayEquals("item-7".getBytes(StandardCharsets.UTF_8), letter.key());
        assertNull(letter.value(), "the bytes at hand belong to item-1");
        assertTrue(header(letter, DeadLetter.REASON).contains("replay key 'item-7'"), header(letter, DeadLetter.REASON));
    }

    @Test
    void aRegistryOutageFailsTheTaskToBeRetriedAndIsNoted() {
        var response = production().handleSerializationError(context, new ProducerRecord<>("vectors.image", "item-1", "v"),
                outage(), ProductionExceptionHandler.SerializationExceptionOrigin.VALUE);
        assertEquals(ProductionExceptionHandler.Result.FAIL, response.result());
        assertTrue(response.deadLetterQueueRecords().isEmpty());
        assertEquals(99, failed.take("app-embedder").orElseThrow().offset());
    }

    @Test
    void brokerRefusalsAreRetriedWhenRetryingHelpsAndFailTheTaskOtherwise() {
        ProducerRecord<byte[], byte[]> sent = new ProducerRecord<>("vectors.image", KEY, VALUE);
        assertEquals(ProductionExceptionHandler.Result.RETRY, production().handleError(context, sent, new TimeoutException("slow")).result());
        assertEquals(ProductionExceptionHandler.Result.RETRY,
                production().handleError(context, sent, new NotEnoughReplicasException("isr")).result());
        var tooLarge = production().handleError(context, sent, new RecordTooLargeException("too large"));
        assertEquals(ProductionExceptionHandler.Result.FAIL, tooLarge.result());
        assertTrue(tooLarge.deadLetterQueueRecords().isEmpty(), "a dead letter would be aborted with the transaction");
        assertEquals("0_3", failed.take("app-embedder").orElseThrow().task(), "noted for readiness");
    }

    DeadLetterProcessingHandler processing(String mode) {
        DeadLetterProcessingHandler handler = new DeadLetterProcessingHandler();
        handler.configure(mode == null ? configs : Map.of(DeadLetterDeserializationHandler.TOPIC_CONFIG, "my.dlq",
                StreamsConfig.APPLICATION_ID_CONFIG, "app-embedder", FailedRecords.CONFIG, failed,
                DeadLetterProcessingHandler.MODE_CONFIG, mode));
        return handler;
    }

    @Test
    void aProcessorThatThrowsOnARecordDeadLettersItWithItsBytes() {
        Record<String, byte[]> record = new Record<>("item-1", VALUE, 1L);
        var response = processing(null).handleError(context, record, new IllegalArgumentException("no such label"));
        assertEquals(ProcessingExceptionHandler.Result.RESUME, response.result());
        ProducerRecord<byte[], byte[]> letter = response.deadLetterQueueRecords().get(0);
        assertArrayEquals(VALUE, letter.value());
        assertEquals("PROCESSING_FAILED", header(letter, DeadLetter.REASON_CODE));
        assertTrue(header(letter, DeadLetter.REASON).contains("no such label"));
    }

    @Test
    void failuresThatAreNotTheRecordsFaultFailTheTask() {
        Record<String, byte[]> record = new Record<>("item-1", VALUE, 1L);
        for (Exception e : new Exception[]{new TimeoutException("cluster"), outage(), new ProcessorStateException("rocksdb"),
                new StreamsException("Error encountered sending record to topic x", new RecordTooLargeException("big"))}) {
            assertEquals(ProcessingExceptionHandler.Result.FAIL, processing(null).handleError(context, record, e).result(), e.toString());
        }
        assertEquals(ProcessingExceptionHandler.Result.FAIL, processing(null).handleError(context, null, new IllegalStateException("p"))
                .result(), "a punctuation");
        assertEquals(ProcessingExceptionHandler.Result.FAIL, processing(DeadLetterProcessingHandler.FAIL_ALWAYS)
                .handleError(context, record, new IllegalArgumentException("batch")).result(), "batching applications fail");
    }
}
