package io.clipstream.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A representative user error of every command (a missing file, Kafka unreachable, a missing external tool, a bad
 * argument): one line on stderr that starts with the command, names the problem and the fix, carries no exception
 * name or stack frame, and the exit status README.md documents for it. No model beyond fixture-tiny is loaded and
 * no broker started; the unreachable cluster is a closed local port with client timeouts of about a second.
 */
class CommandUserErrorsTest {

    @TempDir
    static Path dir;
    static Path missing;
    static Path unreachableConfig;
    static String closedKafka;
    static Path svgGallery;

    /** One command's representative user error and what its line must say. */
    record Case(String command, List<String> args, int exit, String problem, String fix) {
        @Override
        public String toString() {
            return command;
        }
    }

    @BeforeAll
    static void inputs() throws IOException {
        missing = dir.resolve("no-such-file");
        closedKafka = "127.0.0.1:" + freePort();
        unreachableConfig = Files.writeString(dir.resolve("unreachable.properties"), String.join("\n",
                "kafka.bootstrap.servers=" + closedKafka,
                "schema.registry.url=http://127.0.0.1:1",
                "state.dir=" + dir.resolve("state"),
                "model.dir=models/fixture-tiny",
                // The admin client's first request gives up after this, instead of after its 60 s default.
                "kafka.request.timeout.ms=1000",
                "kafka.default.api.timeout.ms=1500", ""));
        svgGallery = Files.createDirectories(dir.resolve("gallery/stamps")).getParent();
        Files.writeString(svgGallery.resolve("stamps/frog.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"8\" height=\"8\"/>");
    }

    static Stream<Case> cases() {
        String fixture = "models/fixture-tiny";
        String noKafka = "cannot reach Kafka at " + closedKafka;
        return Stream.of(
                new Case("serve", List.of("serve", "--config", unreachableConfig.toString()), 2, noKafka,
                        "Check kafka.bootstrap.servers (or CLIPSTREAM_KAFKA_BOOTSTRAP_SERVERS)"),
                new Case("load-demo", List.of("load-demo", "--config", unreachableConfig.toString()), 2, noKafka,
                        "Check kafka.bootstrap.servers"),
                new Case("demo", List.of("demo", "--model", missing.toString(), "--data-dir", dir.resolve("demo").toString()), 2,
                        "model directory " + missing + " does not exist", "Give --model"),
                new Case("ingest", List.of("ingest", "--config", unreachableConfig.toString(), "--images", svgGallery.toString(),
                        "--connect-timeout", "1", "--no-progress"), 2, noKafka, "check kafka.bootstrap.servers"),
                new Case("embed", List.of("embed", "--model", missing.toString(), "--text", "a cat"), 2,
                        "model directory " + missing + " does not exist", "set model.dir (or --model)"),
                new Case("embed-texts", List.of("embed-texts", "--model", fixture, "--input", missing.toString(), "--output",
                        dir.resolve("rows.f32").toString()), 2, missing + ": no such file or directory", "Check the path"),
                new Case("tokenize", List.of("tokenize", "--tokenizer", missing.toString(), "--input", missing.toString()), 2,
                        "tokenizer " + missing + " does not exist", "give the tokenizer.json"),
                new Case("evaluate", List.of("evaluate", "--model", fixture, "--images", svgGallery.toString(), "--queries",
                        queries().toString(), "--no-progress", "--rsvg-convert", missing.toString()), 2,
                        "cannot run '" + missing + "' to render 1 SVG file", "install librsvg2-bin"),
                new Case("evaluate-tags", List.of("evaluate-tags", "--model", fixture, "--images", missing.toString(),
                        "--no-progress"), 2, "--images " + missing + " is not a folder", "Give the folder"),
                new Case("config-reference", List.of("config-reference", "--update", missing.toString()), 2,
                        missing + ": no such file or directory", "Check the path"),
                new Case("bench embed", List.of("bench", "embed", "--model", missing.toString(), "--no-torch", "--seconds", "0.1"),
                        2, "model directory " + missing + " does not exist", "set model.dir (or --model)"),
                new Case("bench ingest", List.of("bench", "ingest", "--model", missing.toString()), 2,
                        missing + " holds no model", "run"),
                new Case("bench pipeline", List.of("bench", "pipeline", "--model", missing.toString()), 2,
                        missing + " holds no model", "run"),
                new Case("bench knn", List.of("bench", "knn", "--vectors", missing.toString(), "--queries", missing.toString()), 2,
                        missing + ": no such file or directory", "Check the path"),
                new Case("bench watchlist", List.of("bench", "watchlist", "--python", missing.toString(), "--model", "none"), 2,
                        "cannot run " + missing, "pass --no-reference"),
                new Case("bench decode", List.of("bench", "decode", "--records", "many"), 2,
                        "'many' is not an int", "See 'clipstream bench decode --help'"),
                new Case("bench http", List.of("bench", "http", "--model", missing.toString()), 2,
                        "model directory " + missing + " does not exist", "set model.dir (or --model)"),
                new Case("unknown command", List.of("serv"), 2, "Unmatched argument at index 0: 'serv'", "Did you mean serve"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void oneLineNamingTheProblemAndTheFix(Case c) {
        Run run = execute(c.args().toArray(String[]::new));
        assertEquals(c.exit(), run.exit(), run.err());
        List<String> lines = run.err().lines().toList();
        assertEquals(1, lines.size(), "one line on stderr, got:\n" + run.err());
        String line = lines.get(0);
        String who = c.command().equals("unknown command") ? "clipstream" : "clipstream " + c.command();
        assertTrue(line.startsWith(who + ": "), line);
        assertTrue(line.contains(c.problem()), "names the problem '" + c.problem() + "': " + line);
        assertTrue(line.contains(c.fix()), "names the fix '" + c.fix() + "': " + line);
        assertFalse(line.contains("Exception"), line);
        assertFalse(line.contains("\tat "), line);
    }

    /** Guards the list above: a command added later needs its case. */
    @Test
    void everyCommandHasACase() {
        Set<String> commands = new TreeSet<>();
        collect(ClipstreamCommand.newCommandLine(), commands);
        commands.remove("help");
        Set<String> covered = new TreeSet<>(cases().map(Case::command).toList());
        covered.remove("unknown command");
        assertEquals(commands, covered);
    }

    @Test
    void verbosePrintsTheStackTraceAfterTheLine() {
        Run run = execute("config-reference", "--update", missing.toString(), "--verbose");
        assertEquals(2, run.exit(), run.err());
        List<String> lines = run.err().lines().toList();
        assertTrue(lines.get(0).startsWith("clipstream config-reference: " + missing + ": no such file"), run.err());
        assertTrue(lines.size() > 2 && lines.get(1).contains("NoSuchFileException") && run.err().contains("\tat "), run.err());
    }

    @Test
    void anUnexpectedFailureIsOneLineThatPointsToVerbose() {
        CommandLine cli = new CommandLine(new Failing());
        ErrorReporter errors = new ErrorReporter();
        cli.setExecutionExceptionHandler(errors);
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        assertEquals(4, cli.execute());
        List<String> lines = err.toString().lines().toList();
        assertEquals(1, lines.size(), err.toString());
        assertTrue(lines.get(0).startsWith("failing: internal error (java.lang.NullPointerException: no value)"), lines.get(0));
        assertTrue(lines.get(0).contains("run with --verbose for the stack trace"), lines.get(0));
    }

    @CommandLine.Command(name = "failing")
    static final class Failing implements Runnable {
        @Override
        public void run() {
            throw new NullPointerException("no value");
        }
    }

    private static void collect(CommandLine command, Set<String> names) {
        command.getSubcommands().forEach((name, sub) -> {
            if (sub.getSubcommands().isEmpty()) {
                names.add(sub.getCommandSpec().qualifiedName(" ").substring("clipstream ".length()));
            }
            collect(sub, names);
        });
    }

    private static Path queries() {
        try {
            Path file = dir.resolve("queries.tsv");
            return Files.exists(file) ? file : Files.writeString(file, "a stamp\tstamps/frog\n");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    record Run(int exit, String out, String err) {
    }

    static Run execute(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = ClipstreamCommand.newCommandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
