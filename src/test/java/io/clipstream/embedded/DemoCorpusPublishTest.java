package io.clipstream.embedded;

import io.clipstream.schema.CaptionEvent;
import io.clipstream.schema.ImageEvent;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoCorpusPublishTest {

    /** A producer whose broker refuses one record for good, as CI saw after NOT_LEADER_OR_FOLLOWER on a new topic. */
    private static final class RefusingProducer<V> extends MockProducer<String, V> {
        private final String refusedKey;

        RefusingProducer(String refusedKey) {
            super(true, null, new StringSerializer(), (topic, value) -> new byte[0]);
            this.refusedKey = refusedKey;
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<String, V> record, Callback callback) {
            if (record.key().equals(refusedKey)) {
                return CompletableFuture.failedFuture(new OutOfOrderSequenceException("out of order sequence number"));
            }
            return super.send(record, callback);
        }
    }

    private static <V> MockProducer<String, V> mock() {
        return new MockProducer<>(true, null, new StringSerializer(), (topic, value) -> new byte[0]);
    }

    @Test
    void everyItemIsPublishedOnceAsImageAndCaption() {
        MockProducer<String, ImageEvent> images = mock();
        MockProducer<String, CaptionEvent> captions = mock();
        int items = DemoCorpus.publish(images, captions, "media.images", "media.captions");
        assertEquals(DemoCorpus.items().size(), items);
        assertEquals(items, images.history().size());
        assertEquals(items, captions.history().size());
    }

    @Test
    void aRecordTheBrokerRefusedFailsThePublishNamingIt() {
        String refused = DemoCorpus.items().get(3).id();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> DemoCorpus.publish(
                new RefusingProducer<>(refused), mock(), "media.images", "media.captions"));
        assertTrue(e.getMessage().contains("1 of " + 2 * DemoCorpus.items().size()), e.getMessage());
        assertTrue(e.getMessage().contains("media.images/" + refused), e.getMessage());
        assertTrue(e.getMessage().contains("out of order sequence number"), e.getMessage());
    }
}
