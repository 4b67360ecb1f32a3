package io.clipstream.service;

import io.clipstream.schemaregistry.LruCache;
import io.clipstream.topology.ReplyTopics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * {@link ReplyTopics} from the cluster, through the service's admin client (the same principal as
 * its producers): whether the topic exists, whether the principal may write to it, and its
 * max.message.bytes. Remembered for {@link #KNOWN} (a missing topic for {@link #MISSING}, so that
 * one created meanwhile is used soon), at most {@link #CAPACITY} topics.
 */
final class AdminReplyTopics implements ReplyTopics {

    static final Duration KNOWN = Duration.ofSeconds(30);
    static final Duration MISSING = Duration.ofSeconds(5);
    static final int CAPACITY = 1_024;
    /** The broker's default message.max.bytes, assumed when the topic's own limit cannot be read. */
    private static final int BROKER_DEFAULT_MAX_BYTES = 1_048_588;

    private record Cached(Facts facts, long expiresNanos) {
    }

    private final Admin admin;
    private final int producerMaxBytes;
    private final Duration timeout;
    private final LruCache<String, Cached> cache = new LruCache<>(CAPACITY);

    /** @param producerMaxBytes the producers' max.request.size: no record larger than this leaves the service */
    AdminReplyTopics(Admin admin, int producerMaxBytes, Duration timeout) {
        this.admin = admin;
        this.producerMaxBytes = producerMaxBytes;
        this.timeout = timeout;
    }

    @Override
    public Facts facts(String topic) {
        Cached cached = cache.get(topic);
        if (cached != null && System.nanoTime() - cached.expiresNanos() < 0) {
            return cached.facts();
        }
        Facts facts = ask(topic);
        cache.put(topic, new Cached(facts, System.nanoTime() + (facts.exists() ? KNOWN : MISSING).toNanos()));
        return facts;
    }

    private Facts ask(String topic) {
        TopicDescription description;
        try {
            description = admin.describeTopics(List.of(topic), new DescribeTopicsOptions().includeAuthorizedOperations(true)
                    .timeoutMs((int) timeout.toMillis())).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(topic);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException || e.getCause() instanceof InvalidTopicException) {
                return new Facts(false, false, 0);
            }
            if (e.getCause() instanceof AuthorizationException) {
                return new Facts(true, false, 0);
            }
            throw unavailable(topic, e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw unavailable(topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        }
        Set<AclOperation> operations = description.authorizedOperations();
        // No set at all: the cluster runs without an authoriser, so anyone may write.
        boolean writable = operations == null || operations.contains(AclOperation.WRITE) || operations.contains(AclOperation.ALL);
        return new Facts(true, writable, Math.min(producerMaxBytes, maxMessageBytes(topic)));
    }

    private int maxMessageBytes(String topic) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try {
            Config config = admin.describeConfigs(List.of(resource), new DescribeConfigsOptions().timeoutMs((int) timeout.toMillis()))
                    .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(resource);
            ConfigEntry entry = config == null ? null : config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            return entry == null || entry.value() == null ? BROKER_DEFAULT_MAX_BYTES : Integer.parseInt(entry.value());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AuthorizationException) {
                return BROKER_DEFAULT_MAX_BYTES; // no DESCRIBE_CONFIGS: assume the broker default
            }
            throw unavailable(topic, e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw unavailable(topic, e);
        } catch (NumberFormatException e) {
            return BROKER_DEFAULT_MAX_BYTES;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        }
    }

    private static TimeoutException unavailable(String topic, Throwable cause) {
        return new TimeoutException("cannot ask the cluster about reply topic '" + topic + "' right now (" + cause
                + "); the request is retried", cause);
    }
}
