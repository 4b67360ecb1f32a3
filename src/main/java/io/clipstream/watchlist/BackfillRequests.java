package io.clipstream.watchlist;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Asks the index to run a concept over the images it already holds: the concept's vector, as the embedder published
 * it, is written once to every partition of the backfill topic, which is co-partitioned with the image vectors, so
 * each index task scans its own partition of the image store once.
 */
public final class BackfillRequests {

    /** What was requested: the concept and how many partition requests were written. */
    public record Requested(String conceptId, int partitions) {
    }

    /** The concept is not among the embedded active concepts (unknown, inactive, invalid or not yet embedded). */
    public static final class UnknownConceptException extends RuntimeException {
        public UnknownConceptException(String message) {
            super(message);
        }
    }

    private final Function<String, byte[]> conceptVectors;
    private final Producer<String, byte[]> producer;
    private final String backfillTopic;
    private final String imageVectorTopic;
    private final ToIntFunction<String> partitions;

    /**
     * @param conceptVectors the concept-vector record bytes by concept id; null when there is none
     * @param partitions     a topic's partition count
     */
    public BackfillRequests(Function<String, byte[]> conceptVectors, Producer<String, byte[]> producer, String backfillTopic,
                            String imageVectorTopic, ToIntFunction<String> partitions) {
        this.conceptVectors = conceptVectors;
        this.producer = producer;
        this.backfillTopic = backfillTopic;
        this.imageVectorTopic = imageVectorTopic;
        this.partitions = partitions;
    }

    public Requested request(String conceptId) {
        byte[] concept = conceptVectors.apply(conceptId);
        if (concept == null) {
            throw new UnknownConceptException("concept '" + conceptId + "' is not an embedded active concept: publish it on "
                    + "the watchlists topic (active, with a prompt or image) and request the backfill once it is embedded");
        }
        int imagePartitions = partitions.applyAsInt(imageVectorTopic);
        int requestPartitions = partitions.applyAsInt(backfillTopic);
        if (imagePartitions != requestPartitions) {
            throw new IllegalStateException(backfillTopic + " has " + requestPartitions + " partitions but " + imageVectorTopic
                    + " has " + imagePartitions + "; they must be co-partitioned: give the backfill topic as many partitions");
        }
        List<Future<RecordMetadata>> sent = new ArrayList<>(imagePartitions);
        for (int partition = 0; partition < imagePartitions; partition++) {
            sent.add(producer.send(new ProducerRecord<>(backfillTopic, partition, conceptId, concept)));
        }
        try {
            for (Future<RecordMetadata> one : sent) {
                one.get(30, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("writing the backfill request of concept '" + conceptId + "' to " + backfillTopic
                    + " failed: " + e.getMessage() + "; request it again (a repeated request repeats its alerts)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing the backfill request of '" + conceptId + "'", e);
        }
        return new Requested(conceptId, imagePartitions);
    }
}
