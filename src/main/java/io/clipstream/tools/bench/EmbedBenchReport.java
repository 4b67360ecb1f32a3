package io.clipstream.tools.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/** The result of {@code bench embed}: the conditions, the rows, and notes on what was skipped. */
public record EmbedBenchReport(Conditions conditions, List<EmbedBenchRow> rows, List<String> notes) {

    /** What the figures were measured under. */
    public record Conditions(int threads, double secondsPerMeasurement, List<Integer> batches, String java,
                             String onnxRuntime, int availableProcessors, String torch) {
        public Conditions {
            batches = List.copyOf(batches);
        }
    }

    public EmbedBenchReport {
        rows = List.copyOf(rows);
        notes = List.copyOf(notes);
    }

    private static final String HEADER_FORMAT = "%-22s %-6s %6s %18s %18s %12s %17s%n";
    private static final String ROW_FORMAT = "%-22s %-6s %6d %18s %18s %12s %17s%n";

    /** A fixed-width table in items per second, with the conditions above and the notes below. */
    public String table() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "clipstream: ONNX Runtime %s CPU, %d intra-op threads, Java %s, %d processors%n",
                conditions.onnxRuntime(), conditions.threads(), conditions.java(), conditions.availableProcessors()));
        out.append(String.format(Locale.ROOT, "torch: %s%n", conditions.torch()));
        out.append(String.format(Locale.ROOT, "%.1f s per measurement after a %.1f s warm-up; figures are items per second%n",
                conditions.secondsPerMeasurement(), conditions.secondsPerMeasurement() * ThroughputMeter.WARMUP_FRACTION));
        out.append(String.format(Locale.ROOT, HEADER_FORMAT, "model", "input", "batch", "clipstream model/s",
                "clipstream e2e/s", "torch/s", "clipstream/torch"));
        for (EmbedBenchRow row : rows) {
            out.append(String.format(Locale.ROOT, ROW_FORMAT, row.model(), row.modality().label(), row.batch(),
                    rate(row.modelOnly()), rate(row.endToEnd()), rate(row.torch()), ratio(row.ratio())));
        }
        for (String note : notes) {
            out.append("note: ").append(note).append(System.lineSeparator());
        }
        return out.toString();
    }

    public ObjectNode toJson(ObjectMapper json) {
        ObjectNode root = json.createObjectNode();
        ObjectNode c = root.putObject("conditions");
        c.put("threads", conditions.threads());
        c.put("secondsPerMeasurement", conditions.secondsPerMeasurement());
        c.put("warmupFraction", ThroughputMeter.WARMUP_FRACTION);
        ArrayNode batches = c.putArray("batches");
        conditions.batches().forEach(batches::add);
        c.put("java", conditions.java());
        c.put("onnxRuntime", conditions.onnxRuntime());
        c.put("availableProcessors", conditions.availableProcessors());
        c.put("torch", conditions.torch());
        ArrayNode array = root.putArray("rows");
        for (EmbedBenchRow row : rows) {
            ObjectNode node = array.addObject();
            node.put("model", row.model());
            node.put("modality", row.modality().label());
            node.put("batch", row.batch());
            node.put("clipstreamModelPerSecond", row.modelOnly());
            node.put("clipstreamEndToEndPerSecond", row.endToEnd());
            if (row.torch().isPresent()) {
                node.put("torchPerSecond", row.torch().getAsDouble());
                node.put("clipstreamOverTorch", row.ratio().getAsDouble());
            } else {
                node.putNull("torchPerSecond");
                node.putNull("clipstreamOverTorch");
            }
        }
        ArrayNode notesNode = root.putArray("notes");
        notes.forEach(notesNode::add);
        return root;
    }

    private static String rate(double perSecond) {
        return perSecond >= 100 ? String.format(Locale.ROOT, "%.0f", perSecond) : String.format(Locale.ROOT, "%.2f", perSecond);
    }

    private static String rate(OptionalDouble perSecond) {
        return perSecond.isPresent() ? rate(perSecond.getAsDouble()) : "-";
    }

    private static String ratio(OptionalDouble ratio) {
        return ratio.isPresent() ? String.format(Locale.ROOT, "%.2f", ratio.getAsDouble()) : "-";
    }
}
