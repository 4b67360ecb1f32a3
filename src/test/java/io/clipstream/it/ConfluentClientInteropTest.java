package io.clipstream.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.clipstream.config.ClipstreamConfig;
import io.clipstream.config.ConfigSource;
import io.clipstream.embedded.EmbeddedKafkaBroker;
import io.clipstream.schemaregistry.InProcessSchemaRegistry;
import io.clipstream.service.ClipstreamService;
import io.clipstream.testing.Await;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * clipstream with Confluent's own client on the other side: Debian's python3-confluent-kafka (its
 * CachedSchemaRegistryClient and MessageSerializer, the serializer under AvroProducer/AvroConsumer)
 * produces image and caption events and a search request against the embedded broker and the
 * in-process registry, and reads the response; kcat reads the vector topic and the same client
 * decodes what it read through the registry. Fails, never skips, without the tools: CI installs
 * them (.ci/run).
 *
 * <p>Debian's kcat (1.7.1) is built without Avro and schema-registry support (no libserdes in
 * Debian), so {@code kcat -s value=avro -r URL} is refused by it ("This build of kcat lacks
 * Avro/Schema-Registry support"); kcat reads the records raw, length-prefixed, and the Python
 * client decodes them.
 */
class ConfluentClientInteropTest {

    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final Path SCRIPT = Path.of("src/test/resources/interop/confluent_client.py");
    static final Duration WAIT = Duration.ofMinutes(3);

    @Test
    void confluentsPythonClientAndKcatTalkToClipstream() throws Exception {
        Path kcat = requireTools();
        Path base = Path.of("target", "it", "interop-" + UUID.randomUUID()).toAbsolutePath();
        Path images = Files.createDirectories(base.resolve("images"));
        List<String> ids = List.of("red-square", "green-circle", "blue-stripes");
        writePng(images.resolve("red-square.png"), Color.RED, 0);
        writePng(images.resolve("green-circle.png"), Color.GREEN, 1);
        writePng(images.resolve("blue-stripes.png"), Color.BLUE, 2);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(base.resolve("kafka"));
             InProcessSchemaRegistry registry = new InProcessSchemaRegistry()) {
            Map<String, String> settings = InstanceSettings.of(broker, registry, "it-interop", "embedder,index,responder",
                    base.resolve("state"), Rest.freePort());
            settings.put("topics.partitions", "2");
            try (ClipstreamService service = ClipstreamService.start(ClipstreamConfig.from(ConfigSource.of(settings)))) {
                Await.until(WAIT, "the service to run", service::ready);
                String url = registry.url().toString();
                String schemas = Path.of("schemas").toAbsolutePath().toString();

                JsonNode sent = json(run(List.of(PYTHON.toString(), SCRIPT.toString(), "produce", broker.bootstrapServers(), url, schemas,
                        images.toString()), null));
                assertEquals(6, sent.get("sent").asInt());
                Await.until(WAIT, "the Python client's events to be indexed", () -> Rest.post(service.httpPort(), "/v1/search",
                        "{\"text\":\"a picture\",\"target\":\"ANY\",\"k\":10,\"filters\":{\"tenant\":\"python\"}}")
                        .body().path("hits").size() == 6);

                JsonNode response = json(run(List.of(PYTHON.toString(), SCRIPT.toString(), "search", broker.bootstrapServers(), url,
                        schemas, "python-1", "a picture called green circle"), null));
                assertEquals("python-1", response.get("correlationId").asText());
                assertTrue(response.get("error").isNull(), response.toString());
                assertEquals(5, response.get("hits").size(), response.toString());
                Set<String> hitIds = new HashSet<>();
                response.get("hits").forEach(hit -> hitIds.add(hit.get("id").asText()));
                assertTrue(hitIds.contains("green-circle#0"), "the caption written by the Python client is found: " + hitIds);

                for (String topic : List.of("vectors.image", "vectors.text")) {
                    byte[] raw = runBytes(List.of(kcat.toString(), "-b", broker.bootstrapServers(), "-C", "-t", topic, "-o", "beginning",
                            "-e", "-q", "-X", "isolation.level=read_committed", "-f", "%k\\n%R%s"));
                    List<JsonNode> records = new ArrayList<>();
                    for (String line : run(List.of(PYTHON.toString(), SCRIPT.toString(), "decode", url), raw).split("\n")) {
                        if (!line.isBlank()) {
                            records.add(json(line));
                        }
                    }
                    Map<String, JsonNode> byKey = new HashMap<>();
                    records.forEach(r -> byKey.put(r.get("key").asText(), r));
                    assertEquals(3, byKey.size(), topic + ": " + records);
                    for (String id : ids) {
                        JsonNode vector = byKey.get(topic.equals("vectors.image") ? id : id + "#0");
                        assertEquals(0, vector.get("magic").asInt(), "Confluent wire format");
                        assertEquals(topic.equals("vectors.image") ? "IMAGE" : "TEXT", vector.get("modality").asText());
                        assertEquals(vector.get("dimension").asInt(), vector.get("vectorLength").asInt());
                        assertEquals("python", vector.get("tenant").asText(), "the tenant the Python client set");
                    }
                }
            }
        }
    }

    /** kcat and a Python with the Confluent client, or a failure that says how to install them. */
    private static Path requireTools() throws Exception {
        String install = "install them with 'sudo apt-get install python3-confluent-kafka python3-avro python3-requests kcat' "
                + "(.ci/run does this before the tests)";
        Path kcat = Path.of("/usr/bin/kcat");
        if (!Files.isExecutable(kcat) || !Files.isExecutable(PYTHON)) {
            fail("the interop test needs " + PYTHON + " and " + kcat + "; " + install);
        }
        try {
            run(List.of(PYTHON.toString(), "-c", "import confluent_kafka.avro"), null);
        } catch (AssertionError e) {
            fail("the interop test needs Confluent's Python client with its Avro serializer (" + e.getMessage() + "); " + install);
        }
        return kcat;
    }

    private static String run(List<String> command, byte[] stdin) throws Exception {
        return new String(runBytes(command, stdin), StandardCharsets.UTF_8);
    }

    private static byte[] runBytes(List<String> command) throws Exception {
        return runBytes(command, null);
    }

    /** Runs a command to its end (at most three minutes); fails with its stderr unless it exits 0. */
    private static byte[] runBytes(List<String> command, byte[] stdin) throws Exception {
        Process process = new ProcessBuilder(command).start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        try (var in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin);
            }
        }
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail(command.get(0) + " " + command.get(Math.min(2, command.size() - 1)) + " did not finish in 3 minutes");
        }
        if (process.exitValue() != 0) {
            fail(String.join(" ", command.subList(0, Math.min(3, command.size()))) + " exited " + process.exitValue() + ": "
                    + new String(err.get(), StandardCharsets.UTF_8));
        }
        return out.get();
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(String text) throws IOException {
        return Rest.JSON.readTree(text);
    }

    private static void writePng(Path file, Color colour, int shape) throws IOException {
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 64, 64);
        g.setColor(colour);
        switch (shape) {
            case 0 -> g.fillRect(12, 12, 40, 40);
            case 1 -> g.fillOval(12, 12, 40, 40);
            default -> {
                for (int x = 0; x < 64; x += 16) {
                    g.fillRect(x, 0, 8, 64);
                }
            }
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        Files.write(file, out.toByteArray());
    }
}
