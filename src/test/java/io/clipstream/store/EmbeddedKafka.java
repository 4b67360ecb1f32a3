package io.clipstream.store;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.fail;

/** A single-node in-process KRaft cluster for integration tests, and a condition poller. */
final class EmbeddedKafka {

    private EmbeddedKafka() {
    }

    static KafkaClusterTestKit start() throws Exception {
        TestKitNodes.Builder nodes = new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .setBaseDirectory(Path.of("target", "kraft", UUID.randomUUID().toString()).toAbsolutePath());
        useLatestProductionMetadataVersion(nodes);
        KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes.build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build();
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /**
     * The test kit defaults to the latest <em>testing</em> metadata version, which may switch on unreleased features.
     * {@code MetadataVersion} lives in kafka-server-common, which the pom brings in at runtime scope only, so it is
     * reached by reflection rather than by adding a dependency.
     */
    private static void useLatestProductionMetadataVersion(TestKitNodes.Builder nodes)
            throws ReflectiveOperationException {
        Class<?> metadataVersion = Class.forName("org.apache.kafka.server.common.MetadataVersion");
        Object latestProduction = metadataVersion.getMethod("latestProduction").invoke(null);
        TestKitNodes.Builder.class.getMethod("setBootstrapMetadataVersion", metadataVersion)
                .invoke(nodes, latestProduction);
    }

    /** Polls {@code probe} until it yields a value, failing with {@code what} after {@code timeout}. */
    static <T> T await(Duration timeout, String what, Supplier<Optional<T>> probe) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() > deadline) {
                fail("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
