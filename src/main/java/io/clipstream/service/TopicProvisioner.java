package io.clipstream.service;

import io.clipstream.common.KafkaUnreachableException;
import io.clipstream.config.KafkaSettings;
import io.clipstream.config.Settings;
import io.clipstream.topology.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Creates the topics clipstream needs when they are missing (vector topics compacted, since they
 * are the index's changelog), and answers how many partitions a topic has.
 */
public final class TopicProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);
    /** As large as the applications' producers send (StreamsProperties sets max.request.size to it). */
    static final int DEAD_LETTER_MAX_BYTES = 32 * 1024 * 1024;

    private final Admin admin;
    private final Map<String, Integer> partitions = new ConcurrentHashMap<>();

    public TopicProvisioner(Admin admin) {
        this.admin = admin;
    }

    public void ensure(Topics topics, KafkaSettings settings)
            throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
        Set<String> compacted = Set.of(topics.imageVectors(), topics.textVectors(), topics.thumbnails(), topics.watchlists(),
                topics.watchlistVectors());
        List<NewTopic> wanted = new ArrayList<>();
        for (String name : List.of(topics.images(), topics.captions(), topics.imageVectors(), topics.textVectors(),
                topics.deadLetters(), topics.searchRequests(), topics.searchResponses(), topics.thumbnails(),
                topics.watchlists(), topics.alerts(), topics.annotations(), topics.watchlistVectors(),
                topics.watchlistBackfill())) {
            NewTopic topic = new NewTopic(name, java.util.Optional.of(settings.partitions()), settings.replicationFactor());
            if (compacted.contains(name)) {
                topic.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            }
            if (name.equals(topics.deadLetters())) {
                // A dead letter is its input record plus the reason: under the broker's default limit an input near
                // that limit would not fit, and a dead letter the broker refuses fails the task on every retry.
                topic.configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(DEAD_LETTER_MAX_BYTES)));
            }
            wanted.add(topic);
        }
        Set<String> existing = existingTopics(settings);
        List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t.name())).toList();
        if (missing.isEmpty()) {
            return;
        }
        try {
            admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            LOG.info("created topics {}", missing.stream().map(NewTopic::name).toList());
            awaitLeaders(missing.stream().map(NewTopic::name).toList());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        } catch (java.util.concurrent.TimeoutException e) {
            throw new ExecutionException("creating topics timed out; is Kafka reachable at the configured bootstrap servers?", e);
        }
    }

    /** The first request of a start: when it gets no answer, Kafka is not where the settings say. */
    private Set<String> existingTopics(KafkaSettings settings) throws ExecutionException, InterruptedException {
        try {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException timeout) {
                throw unreachable(settings, timeout.getMessage(), e);
            }
            throw e;
        } catch (java.util.concurrent.TimeoutException e) {
            throw unreachable(settings, "no answer within 30 s", e);
        }
    }

    private static KafkaUnreachableException unreachable(KafkaSettings settings, String why, Exception cause) {
        String bootstrap = settings.bootstrapServers().orElse("(kafka.bootstrap.servers not set)");
        return new KafkaUnreachableException("cannot reach Kafka at " + bootstrap + " (" + why + "). Check "
                + Settings.KAFKA_BOOTSTRAP_SERVERS.key() + " (or " + Settings.KAFKA_BOOTSTRAP_SERVERS.environmentVariable()
                + "), that the brokers are up, and the kafka.* security settings", cause);
    }

    /**
     * Waits until every partition of the new topics has a leader, so that the first records sent to them are not
     * refused with NOT_LEADER_OR_FOLLOWER while leadership is still being applied.
     */
    private void awaitLeaders(List<String> created)
            throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            boolean led;
            try {
                led = admin.describeTopics(created).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
                        .allMatch(topic -> topic.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
                led = false; // created, but not in this broker's metadata yet
            }
            if (led) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new ExecutionException("created topics " + created + " still have partitions without a leader after "
                        + "30 s; check the brokers' health", null);
            }
            Thread.sleep(50);
        }
    }

    /** Partitions of {@code topic}, asked once and remembered (partition counts only grow, and rarely). */
    public int partitions(String topic) {
        return partitions.computeIfAbsent(topic, name -> {
            try {
                return admin.describeTopics(List.of(name)).allTopicNames().get(30, TimeUnit.SECONDS).get(name).partitions().size();
            } catch (Exception e) {
                throw new IllegalStateException("cannot describe topic " + name + ": " + e.getMessage(), e);
            }
        });
    }
}
