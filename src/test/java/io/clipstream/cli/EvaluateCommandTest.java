package io.clipstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `clipstream evaluate` on galleries with SVGs: a stamp there as x.svg and x.png is one image whose
 * file --prefer chooses, and a renderer that is not installed ends the run with one line saying what
 * to install. The renderer here is a stand-in script (it prints a PNG and leaves a mark), so the
 * test needs no librsvg.
 */
class EvaluateCommandTest {

    static final Path MODEL = Path.of("models/fixture-tiny");
    static final Path PNG = Path.of("src/test/resources/fixtures/model-parity/images/01.png").toAbsolutePath();

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void aStampThereAsSvgAndPngIsOneImageAndPreferChoosesItsFile() throws IOException {
        Path gallery = gallery();
        Path mark = dir.resolve("renderer-ran");
        Path renderer = script("fake-rsvg-convert", "#!/bin/sh\ntouch '" + mark + "'\ncat '" + PNG + "'\n");
        Path queries = Files.writeString(dir.resolve("queries.tsv"), "a stamp\tstamps/frog\n");

        assertEquals(0, run("--images", gallery.toString(), "--queries", queries.toString(), "--rsvg-convert",
                renderer.toString(), "--prefer", "png"), err.toString());
        assertEquals(2, json().get("images").asInt(), out.toString());
        assertFalse(Files.exists(mark), "--prefer png reads the PNG; nothing is rendered");

        out.getBuffer().setLength(0);
        assertEquals(0, run("--images", gallery.toString(), "--queries", queries.toString(), "--rsvg-convert",
                renderer.toString(), "--prefer", "SVG"), err.toString());
        assertEquals(2, json().get("images").asInt(), out.toString());
        assertTrue(Files.exists(mark), "--prefer svg renders the SVG");
    }

    @Test
    void aMissingRendererEndsWithOneLineSayingWhatToInstall() throws IOException {
        Path gallery = gallery();
        Path queries = Files.writeString(dir.resolve("queries.tsv"), "a stamp\tstamps/frog\n");
        int exit = run("--images", gallery.toString(), "--queries", queries.toString(), "--prefer", "svg",
                "--rsvg-convert", dir.resolve("no-such-rsvg-convert").toString());
        assertEquals(2, exit, err.toString());
        List<String> lines = err.toString().lines().toList();
        assertEquals(1, lines.size(), err.toString());
        assertTrue(lines.get(0).startsWith("clipstream evaluate: cannot run '" + dir.resolve("no-such-rsvg-convert")
                + "' to render 1 SVG file: install librsvg2-bin (apt-get install librsvg2-bin)"), lines.get(0));
        assertFalse(err.toString().contains("Exception"), err.toString());
    }

    @Test
    void preferTakesSvgOrPngOnly() throws IOException {
        Path queries = Files.writeString(dir.resolve("queries.tsv"), "a stamp\tstamps/frog\n");
        assertEquals(2, run("--images", gallery().toString(), "--queries", queries.toString(), "--prefer", "gif"));
        assertTrue(err.toString().contains("'gif' is neither svg nor png"), err.toString());
    }

    /** stamps/frog.svg and stamps/frog.png (one stamp, two files) and stamps/owl.png. */
    private Path gallery() throws IOException {
        Path gallery = Files.createDirectories(dir.resolve("gallery/stamps"));
        Files.writeString(gallery.resolve("frog.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"8\" height=\"8\"/>");
        Files.copy(PNG, gallery.resolve("frog.png"));
        Files.copy(PNG, gallery.resolve("owl.png"));
        return gallery.getParent();
    }

    private Path script(String name, String text) throws IOException {
        Path file = Files.writeString(dir.resolve(name), text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    private JsonNode json() throws IOException {
        return new ObjectMapper().readTree(out.toString());
    }

    private int run(String... args) {
        CommandLine cli = ClipstreamCommand.newCommandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        List<String> full = new ArrayList<>(List.of("evaluate", "--model", MODEL.toString(), "--json", "--no-progress"));
        full.addAll(List.of(args));
        return cli.execute(full.toArray(String[]::new));
    }
}
