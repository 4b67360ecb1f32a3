package io.clipstream.ingest;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The captions file of {@code clipstream ingest --captions}: UTF-8 text, one caption per line as
 * {@code image<TAB>caption}, where image is the image file's path relative to the folder
 * ({@code animals/owl.png}) or its id ({@code animals/owl}); an image may have any number of
 * lines. The caption is everything after the first tab, trimmed. Blank lines and lines starting
 * with {@code #} are skipped. Problems are collected over the whole file and reported together,
 * each with its line number, so that one run shows every line to fix.
 */
public final class CaptionsFile {

    /** Listed in one error message at most; the rest are counted. */
    static final int MAX_LISTED_ERRORS = 20;

    /** One caption line as written. */
    public record Line(int number, String image, String text) {
    }

    private CaptionsFile() {
    }

    public static List<Line> read(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new IngestInputException("--captions " + file + " is not UTF-8 text; save it as UTF-8");
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IngestInputException("--captions " + file + " does not exist");
        }
        return parse(lines, file.toString());
    }

    public static List<Line> parse(List<String> lines, String source) {
        List<Line> captions = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            int number = i + 1;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int tab = line.indexOf('\t');
            if (tab < 0) {
                errors.add("line " + number + ": no tab; write image<TAB>caption");
                continue;
            }
            String image = line.substring(0, tab).strip();
            String text = line.substring(tab + 1).strip();
            if (image.isEmpty()) {
                errors.add("line " + number + ": no image before the tab");
            } else if (text.isEmpty()) {
                errors.add("line " + number + ": the caption of " + image + " is empty");
            } else {
                captions.add(new Line(number, image, text));
            }
        }
        requireNone(errors, source);
        return captions;
    }

    static void requireNone(List<String> errors, String source) {
        if (errors.isEmpty()) {
            return;
        }
        StringBuilder message = new StringBuilder("captions file " + source + " has " + errors.size()
                + (errors.size() == 1 ? " problem" : " problems") + " (nothing was sent):");
        errors.stream().limit(MAX_LISTED_ERRORS).forEach(error -> message.append(System.lineSeparator()).append("  ").append(error));
        if (errors.size() > MAX_LISTED_ERRORS) {
            message.append(System.lineSeparator()).append("  ... and ").append(errors.size() - MAX_LISTED_ERRORS).append(" more");
        }
        throw new IngestInputException(message.toString());
    }
}
