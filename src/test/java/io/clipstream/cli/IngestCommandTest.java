package io.clipstream.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `clipstream ingest`'s failures before anything is sent: each a clear line and exit status 2. */
class IngestCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void malformedCaptionLinesAreNamedBeforeKafkaIsAsked() throws IOException {
        Files.copy(Path.of("src/test/resources/fixtures/model-parity/images/01.png"), dir.resolve("a.png"));
        Path captions = Files.writeString(dir.resolve("captions.tsv"), "a.png\tfine\nno tab\nb.png\ta missing image\n");
        int exit = run(config("kafka.bootstrap.servers=127.0.0.1:1\nschema.registry.url=http://127.0.0.1:1\n"),
                "--images", dir.toString(), "--captions", captions.toString());
        assertEquals(2, exit, err.toString());
        assertTrue(err.toString().contains("line 2: no tab"), err.toString());
    }

    @Test
    void anUnreachableBrokerNamesTheSettingToFix() throws IOException {
        Files.copy(Path.of("src/test/resources/fixtures/model-parity/images/01.png"), dir.resolve("a.png"));
        String closed = "127.0.0.1:" + freePort();
        int exit = run(config("kafka.bootstrap.servers=" + closed + "\nschema.registry.url=http://127.0.0.1:1\n"),
                "--images", dir.toString(), "--connect-timeout", "2");
        assertEquals(2, exit, err.toString());
        assertTrue(err.toString().startsWith("clipstream ingest: cannot reach Kafka at " + closed), err.toString());
        assertTrue(err.toString().contains("check kafka.bootstrap.servers (or CLIPSTREAM_KAFKA_BOOTSTRAP_SERVERS)"), err.toString());
    }

    @Test
    void aMissingSettingIsNamed() throws IOException {
        Files.copy(Path.of("src/test/resources/fixtures/model-parity/images/01.png"), dir.resolve("a.png"));
        int exit = run(config("schema.registry.url=http://127.0.0.1:1\n"), "--images", dir.toString());
        assertEquals(2, exit, err.toString());
        assertTrue(err.toString().contains("kafka.bootstrap.servers is not set"), err.toString());
    }

    private Path config(String text) throws IOException {
        return Files.writeString(dir.resolve("clipstream.properties"), text);
    }

    private int run(Path config, String... args) {
        CommandLine cli = ClipstreamCommand.newCommandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        String[] full = new String[args.length + 3];
        full[0] = "ingest";
        full[1] = "--config";
        full[2] = config.toString();
        System.arraycopy(args, 0, full, 3, args.length);
        return cli.execute(full);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
