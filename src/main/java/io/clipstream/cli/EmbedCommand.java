package io.clipstream.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clipstream.encoders.ClipModel;
import io.clipstream.encoders.DeviceRequest;
import io.clipstream.encoders.EncoderSettings;
import io.clipstream.common.EncodingException;
import io.clipstream.encoders.TextEmbedding;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** `clipstream embed`: prints the vectors of texts and image files as JSON. */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Embed texts and image files and print the vectors as JSON (texts first, then images, each in the order given).")
public final class EmbedCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "Model directory (clipstream manifest or Hugging Face CLIP export).")
    Path model;

    @Option(names = "--text", description = "A text to embed; repeatable.")
    List<String> texts = new ArrayList<>();

    @Option(names = "--image", description = "An image file to embed; repeatable.")
    List<Path> images = new ArrayList<>();

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, cuda, cuda:N or auto (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--device-strict", description = "Fail instead of falling back to CPU when CUDA cannot be used.")
    boolean strict;

    @Option(names = "--variant", defaultValue = "auto", description = "ONNX variant of a Hugging Face export: auto, full, quantized, fp16, ...")
    String variant;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (texts.isEmpty() && images.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give at least one --text or --image");
        }
        EncoderSettings base = EncoderSettings.cpu(model);
        EncoderSettings settings = new EncoderSettings(model, variant, DeviceRequest.parse(device), strict,
                base.intraOpThreads(), base.maxBatch(), base.imageLimits());
        ObjectMapper json = new ObjectMapper();
        ObjectNode out = json.createObjectNode();
        int failures = 0;
        try (ClipModel clip = ClipModel.open(settings)) {
            out.put("model", clip.id());
            out.put("dimension", clip.dimension());
            out.put("device", clip.device());
            ArrayNode results = out.putArray("embeddings");
            for (String text : texts) {
                ObjectNode entry = results.addObject().put("input", text).put("modality", "TEXT");
                try {
                    TextEmbedding embedding = clip.text().embed(List.of(text)).get(0);
                    entry.put("truncated", embedding.truncated());
                    vector(entry, embedding.vector());
                } catch (EncodingException e) {
                    entry.put("error", e.getMessage());
                    failures++;
                }
            }
            for (Path image : images) {
                ObjectNode entry = results.addObject().put("input", image.toString()).put("modality", "IMAGE");
                try {
                    byte[] bytes = Files.readAllBytes(image);
                    float[] vector = clip.image().embedPrepared(List.of(clip.image().prepare(bytes, image.toString())))[0];
                    vector(entry, vector);
                } catch (EncodingException | IOException e) {
                    entry.put("error", e instanceof IOException ? image + ": cannot read the file (" + e.getMessage() + ")" : e.getMessage());
                    failures++;
                }
            }
        }
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(out));
        stdout.flush();
        return failures == 0 ? 0 : 1;
    }

    private static void vector(ObjectNode entry, float[] vector) {
        ArrayNode array = entry.putArray("vector");
        for (float v : vector) {
            array.add(v);
        }
    }
}
