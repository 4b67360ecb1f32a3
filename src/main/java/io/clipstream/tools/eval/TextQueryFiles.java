package io.clipstream.tools.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the two labelled text formats of {@code clipstream evaluate}, both UTF-8 TSV where blank
 * lines and lines starting with {@code #} are skipped:
 * <ul>
 *   <li>captions: {@code image_id<TAB>caption}, one caption per line, any number per image; a
 *       caption text given for several images becomes one text that any of them answers (clip art
 *       often repeats a caption, and ranking one of its images above another is no error);</li>
 *   <li>queries: {@code query<TAB>id,id,...}, the ids of every image that answers the query.</li>
 * </ul>
 */
public final class TextQueryFiles {

    private TextQueryFiles() {
    }

    public static List<TextQuery> readCaptions(Path file) throws IOException {
        Map<String, Set<String>> idsByText = new LinkedHashMap<>();
        Map<String, String> firstLine = new HashMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String[] fields = fields(lines.get(i), file, i);
            if (fields != null) {
                String text = fields[1].strip();
                String id = fields[0].strip();
                if (id.isEmpty()) {
                    throw new IllegalArgumentException(file + ":" + (i + 1) + ": the image id is empty");
                }
                idsByText.computeIfAbsent(text, t -> new LinkedHashSet<>()).add(id);
                firstLine.putIfAbsent(text, file + ":" + (i + 1));
            }
        }
        List<TextQuery> captions = new ArrayList<>(idsByText.size());
        idsByText.forEach((text, ids) -> captions.add(new TextQuery(text, ids, firstLine.get(text))));
        return captions;
    }

    public static List<TextQuery> readQueries(Path file) throws IOException {
        List<TextQuery> queries = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String[] fields = fields(lines.get(i), file, i);
            if (fields != null) {
                Set<String> ids = new LinkedHashSet<>();
                Arrays.stream(fields[1].split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(ids::add);
                queries.add(new TextQuery(fields[0].strip(), ids, file + ":" + (i + 1)));
            }
        }
        return queries;
    }

    private static String[] fields(String line, Path file, int index) {
        if (line.isBlank() || line.startsWith("#")) {
            return null;
        }
        String[] fields = line.split("\t", 2);
        if (fields.length != 2) {
            throw new IllegalArgumentException(file + ":" + (index + 1) + ": expected two tab-separated fields, got '"
                    + line + "'; write 'image_id<TAB>caption' (captions) or 'query<TAB>id,id' (queries)");
        }
        return fields;
    }
}
