package io.clipstream.topology;

/**
 * What the responder must know of a reply topic before it writes an answer there, so that an
 * answer never reaches the producer when the broker would refuse it for good: Kafka's producer
 * aborts the whole transaction on such a refusal, and the task would fail on the same request for
 * ever. Implementations ask the cluster and remember the answer briefly.
 */
@FunctionalInterface
public interface ReplyTopics {

    /**
     * @throws org.apache.kafka.common.errors.RetriableException when the cluster cannot be asked right now; the
     *                                                             request is then retried, not answered
     */
    Facts facts(String topic);

    /**
     * @param exists         the topic exists (the broker may not create topics on demand)
     * @param writable       this service's principal may write to it (or the cluster has no authoriser)
     * @param maxRecordBytes largest record it takes: the topic's max.message.bytes, at most the producer's max.request.size
     */
    record Facts(boolean exists, boolean writable, int maxRecordBytes) {
    }

    /** Every topic exists and takes anything: for TopologyTestDriver, where there is no cluster to ask. */
    ReplyTopics UNCHECKED = topic -> new Facts(true, true, Integer.MAX_VALUE);
}
