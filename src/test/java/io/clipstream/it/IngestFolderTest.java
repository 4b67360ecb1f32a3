package io.clipstream.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.clipstream.cli.ClipstreamCommand;
import io.clipstream.config.ClipstreamConfig;
import io.clipstream.config.ConfigSource;
import io.clipstream.embedded.EmbeddedKafkaBroker;
import io.clipstream.schemaregistry.InProcessSchemaRegistry;
import io.clipstream.schemaregistry.SchemaRegistryConfig;
import io.clipstream.service.ClipstreamService;
import io.clipstream.testing.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code clipstream ingest} against a running clipstream on the in-process broker and registry (fixture
 * model): a folder of three real images, a truncated PNG, a text file and a captions file. The command
 * must report what was indexed, skipped and dead-lettered, and the items must then be searchable.
 */
class IngestFolderTest {

    static final Duration WAIT = Duration.ofMinutes(2);
    static final Path CORPUS = Path.of("src", "main", "resources", "demo", "corpus", "images");

    static Path base;
    static EmbeddedKafkaBroker broker;
    static InProcessSchemaRegistry registry;
    static ClipstreamService service;
    static Map<String, String> settings;

    record Run(int exit, String out, String err) {
    }

    @BeforeAll
    static void start() throws Exception {
        base = Path.of("target", "it", "ingest-" + UUID.randomUUID());
        broker = EmbeddedKafkaBroker.start(base.resolve("kafka"));
        registry = new InProcessSchemaRegistry();
        settings = InstanceSettings.of(broker, registry, "it-ingest", "embedder,index,responder", base.resolve("state"),
                Rest.freePort());
        service = ClipstreamService.start(ClipstreamConfig.from(ConfigSource.of(settings)));
        Await.until(WAIT, "clipstream to be ready", service::ready);
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) {
            service.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void ingestsAFolderReportsEveryOutcomeAndTheItemsAreSearchable() throws Exception {
        Path dir = Files.createDirectories(base.resolve("photos"));
        List<Path> corpus;
        try (var files = Files.list(CORPUS)) {
            corpus = files.sorted().limit(3).toList();
        }
        Files.copy(corpus.get(0), dir.resolve("house.png"));
        Files.createDirectories(dir.resolve("office"));
        Files.copy(corpus.get(1), dir.resolve("office/keyboard.png"));
        Files.copy(corpus.get(2), dir.resolve("office/lamp.png"));
        byte[] png = Files.readAllBytes(corpus.get(0));
        Files.write(dir.resolve("broken.png"), java.util.Arrays.copyOf(png, 60));
        Files.writeString(dir.resolve("readme.txt"), "these are test photos\n");
        Path captions = base.resolve("captions.tsv");
        Files.writeString(captions, String.join("\n",
                "# image<TAB>caption",
                "house.png\ta house with a red roof",
                "office/keyboard\ta computer keyboard",
                "house.png\ta building",
                "readme.txt\tnot a picture",
                "office/lamp.png\ta desk lamp",
                ""), StandardCharsets.UTF_8);

        Run run = ingest("--images", dir.toString(), "--captions", captions.toString(), "--tenant", "it-ingest",
                "--timeout", "120");
        System.out.println("ingest stdout:\n" + run.out() + "ingest stderr:\n" + run.err());

        assertEquals(3, run.exit(), "every item has an outcome, one dead-lettered: " + run);
        String out = run.out();
        assertTrue(out.contains("sent 4 images and 4 captions"), out);
        assertTrue(out.contains("indexed        3 images, 4 captions"), out);
        assertTrue(out.contains("skipped        2"), out);
        assertTrue(out.contains("readme.txt: not an image: plain text"), out);
        assertTrue(out.contains("captions line 5: its image readme.txt is skipped"), out);
        assertTrue(out.contains("dead-lettered  1"), out);
        assertTrue(out.matches("(?s).*    image broken: [A-Z_]+: \\S.*"), out);
        assertTrue(out.contains("pending        0"), out);
        assertTrue(run.err().contains("sending") && run.err().contains("indexing"), "progress on stderr: " + run.err());

        Set<String> images = Set.of("house", "office/keyboard", "office/lamp");
        Set<String> texts = Set.of("house#1", "house#2", "office/keyboard#1", "office/lamp#1");
        Await.until(WAIT, "the ingested items to be searchable", () ->
                hitIds("IMAGE").equals(images) && hitIds("TEXT").equals(texts));
        JsonNode keyboard = Rest.get(service.httpPort(), "/v1/items/office%2Fkeyboard").body();
        assertTrue(keyboard.toString().contains("office/keyboard.png"), "the file is kept in the metadata: " + keyboard);
    }

    @Test
    void anUnreachableRegistryStopsTheRunNamingTheSetting() throws Exception {
        Path dir = Files.createDirectories(base.resolve("one"));
        Files.copy(Path.of("src/test/resources/fixtures/model-parity/images/01.png"), dir.resolve("a.png"));
        Map<String, String> wrong = new HashMap<>(settings);
        wrong.put(SchemaRegistryConfig.URL, "http://127.0.0.1:" + Rest.freePort());
        Run run = ingestWith(wrong, "--images", dir.toString(), "--timeout", "10");
        assertEquals(2, run.exit(), run.toString());
        assertTrue(run.err().contains("ingest: schema registry") && run.err().contains(SchemaRegistryConfig.URL), run.err());
    }

    private static Set<String> hitIds(String target) {
        Rest.Reply reply = Rest.post(service.httpPort(), "/v1/search", "{\"text\": \"a photo\", \"target\": \"" + target
                + "\", \"k\": 50, \"filters\": {\"tenant\": \"it-ingest\"}}");
        Set<String> ids = new HashSet<>();
        if (reply.status() == 200) {
            reply.body().get("hits").forEach(hit -> ids.add(hit.get("id").asText()));
        }
        return ids;
    }

    private static Run ingest(String... args) throws IOException {
        return ingestWith(settings, args);
    }

    private static Run ingestWith(Map<String, String> config, String... args) throws IOException {
        Path file = base.resolve("ingest-" + UUID.randomUUID() + ".properties");
        Properties properties = new Properties();
        properties.putAll(config);
        try (Writer writer = Files.newBufferedWriter(file)) {
            properties.store(writer, null);
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = ClipstreamCommand.newCommandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        String[] full = new String[args.length + 3];
        full[0] = "ingest";
        full[1] = "--config";
        full[2] = file.toString();
        System.arraycopy(args, 0, full, 3, args.length);
        int exit = cli.execute(full);
        return new Run(exit, out.toString(), err.toString());
    }
}
