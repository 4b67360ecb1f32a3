package io.clipstream.encoders;

import io.clipstream.cli.ClipstreamCommand;
import io.clipstream.encoders.text.TextTokenizer;
import io.clipstream.encoders.text.TokenizedText;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The committed CLIP tokenizer.json, read through the text encoder's tokenizer path, gives exactly
 * the ids of OpenAI's reference tokenizer for every line of the golden file (a copy of
 * ../shared/data/clip/clip_tokenizer_golden.tsv).
 */
class TokenizerGoldenTest {

    static final Path TOKENIZER = Path.of("models/clip-tokenizer/tokenizer.json");
    static final Path GOLDEN = Path.of("src/test/resources/clip/clip_tokenizer_golden.tsv");

    record Golden(String text, long[] ids) {
    }

    static TextTokenizer tokenizer;

    @BeforeAll
    static void open() {
        tokenizer = TextTokenizer.open(TOKENIZER, 77);
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    static List<Golden> goldens() throws Exception {
        List<Golden> goldens = new ArrayList<>();
        for (String line : Files.readAllLines(GOLDEN, StandardCharsets.UTF_8)) {
            if (line.startsWith("#") || line.isEmpty()) {
                continue;
            }
            int tab = line.lastIndexOf('\t');
            String ids = line.substring(tab + 1).trim();
            long[] parsed = ids.isEmpty() ? new long[0] : Arrays.stream(ids.split(" ")).mapToLong(Long::parseLong).toArray();
            goldens.add(new Golden(line.substring(0, tab), parsed));
        }
        return goldens;
    }

    @Test
    void everyGoldenLineMatches() throws Exception {
        List<Golden> goldens = goldens();
        assertTrue(goldens.size() > 2000, "golden file should have over 2000 lines, has " + goldens.size());
        List<String> mismatches = new ArrayList<>();
        for (Golden golden : goldens) {
            long[] actual = tokenizer.ids(golden.text());
            if (!Arrays.equals(golden.ids(), actual)) {
                mismatches.add(golden.text() + " expected " + Arrays.toString(golden.ids()) + " got " + Arrays.toString(actual));
            }
        }
        assertEquals(List.of(), mismatches.subList(0, Math.min(10, mismatches.size())),
                mismatches.size() + " of " + goldens.size() + " lines differ");
    }

    @Test
    void modelInputAddsStartAndEndAndTruncatesKeepingEnd() throws Exception {
        Golden first = goldens().get(0);
        TokenizedText tokens = tokenizer.forModel(first.text(), "t");
        long[] expected = new long[first.ids().length + 2];
        expected[0] = 49406;
        System.arraycopy(first.ids(), 0, expected, 1, first.ids().length);
        expected[expected.length - 1] = 49407;
        assertArrayEquals(expected, tokens.ids());
        assertFalse(tokens.truncated());

        TokenizedText longText = tokenizer.forModel("a photo of a cat ".repeat(40), "long");
        assertEquals(77, longText.ids().length);
        assertEquals(49406, longText.ids()[0]);
        assertEquals(49407, longText.ids()[76]);
        assertTrue(longText.truncated(), "a 200-token text must be reported as truncated");
    }

    @Test
    void tokenizeCommandPrintsOneLineOfIdsPerInputLine(@TempDir Path dir) throws Exception {
        List<Golden> sample = goldens().subList(0, 50);
        Path input = dir.resolve("texts.txt");
        Files.write(input, sample.stream().map(Golden::text).toList(), StandardCharsets.UTF_8);
        StringWriter out = new StringWriter();
        CommandLine cli = ClipstreamCommand.newCommandLine();
        cli.setOut(new PrintWriter(out));

        int exit = cli.execute("tokenize", "--tokenizer", TOKENIZER.toString(), "--input", input.toString());

        assertEquals(0, exit);
        List<String> expected = sample.stream()
                .map(g -> Arrays.stream(g.ids()).mapToObj(Long::toString).collect(Collectors.joining(" ")))
                .toList();
        assertEquals(expected, out.toString().lines().toList());
    }
}
