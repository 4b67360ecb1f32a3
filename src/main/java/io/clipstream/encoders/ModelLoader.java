package io.clipstream.encoders;

import io.clipstream.common.ModelLoadException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clipstream.encoders.image.ImagePreprocessing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads a model directory in either layout: clipstream's own manifest ({@value #MANIFEST}, see
 * docs/MODELS.md) or a Hugging Face CLIP export as it is downloaded ({@code config.json},
 * {@code preprocessor_config.json}, {@code tokenizer.json}, {@code onnx/text_model*.onnx},
 * {@code onnx/vision_model*.onnx}).
 */
public final class ModelLoader {

    public static final String MANIFEST = "clipstream-model.json";
    static final String MANIFEST_FORMAT = "clipstream-model/1";

    /** File-name suffixes of the ONNX variants that Hugging Face exports ship, preferred first. */
    static final List<String> HF_VARIANTS = List.of("", "_fp16", "_quantized", "_int8", "_uint8", "_q4f16", "_q4", "_bnb4");

    private static final Logger LOG = LoggerFactory.getLogger(ModelLoader.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CLIP_TEXT_LENGTH = 77;

    private ModelLoader() {
    }

    /** Where files named {@code classpath:...} in a manifest are extracted, relative to the working directory. */
    public static final Path DEFAULT_CACHE = Path.of(".clipstream-cache", "models");

    public static ModelSpec load(Path directory, String variant) {
        return load(directory, variant, new ClasspathModelFiles(DEFAULT_CACHE, ModelLoader.class.getClassLoader()));
    }

    public static ModelSpec load(Path directory, String variant, ClasspathModelFiles classpathFiles) {
        if (!Files.isDirectory(directory)) {
            throw new ModelLoadException("model directory " + directory + " does not exist; set model.dir (or --model) to a "
                    + "clipstream model directory or a Hugging Face CLIP export");
        }
        if (Files.isRegularFile(directory.resolve(MANIFEST))) {
            return readManifest(directory, classpathFiles);
        }
        if (Files.isRegularFile(directory.resolve("config.json")) && Files.isDirectory(directory.resolve("onnx"))) {
            return readHuggingFace(directory, variant);
        }
        throw new ModelLoadException("model directory " + directory + " has neither " + MANIFEST
                + " nor a Hugging Face export (config.json with an onnx/ folder); see docs/MODELS.md");
    }

    private static ModelSpec readManifest(Path directory, ClasspathModelFiles classpathFiles) {
        Path file = directory.resolve(MANIFEST);
        JsonNode root = readJson(file);
        String format = root.path("format").asText("");
        if (!format.equals(MANIFEST_FORMAT)) {
            throw new ModelLoadException(file + ": format '" + format + "' is not supported; expected '" + MANIFEST_FORMAT + "'");
        }
        JsonNode text = required(root, "text", file);
        JsonNode image = required(root, "image", file);
        TextModelSpec textSpec = new TextModelSpec(
                modelFile(directory, requiredText(text, "onnx", file), file, classpathFiles),
                modelFile(directory, requiredText(text, "tokenizer", file), file, classpathFiles),
                text.path("maxLength").asInt(CLIP_TEXT_LENGTH),
                text.path("padId").asLong(0),
                text.path("inputIds").asText("input_ids"),
                text.hasNonNull("attentionMask") ? Optional.of(text.get("attentionMask").asText()) : Optional.empty(),
                text.hasNonNull("tokenTypeIds") ? Optional.of(text.get("tokenTypeIds").asText()) : Optional.empty(),
                requiredText(text, "output", file),
                Pooling.parse(text.path("pooling").asText("output")));
        int[] crop = cropSize(image.path("cropSize"), image.path("shortestEdge").asInt(224));
        ImageModelSpec imageSpec = new ImageModelSpec(
                modelFile(directory, requiredText(image, "onnx", file), file, classpathFiles),
                image.path("input").asText("pixel_values"),
                requiredText(image, "output", file),
                new ImagePreprocessing(required(image, "shortestEdge", file).asInt(), crop[0], crop[1],
                        floats(image.path("mean"), ImagePreprocessing.CLIP_MEAN),
                        floats(image.path("std"), ImagePreprocessing.CLIP_STD)),
                image.hasNonNull("patchOutput") ? Optional.of(image.get("patchOutput").asText()) : Optional.empty(),
                explainScale(image.path("explainScale"), file));
        checkResample(image.path("resample").asText("bicubic"), file);
        return new ModelSpec(requiredText(root, "id", file), required(root, "dimension", file).asInt(), textSpec, imageSpec,
                directory, ModelSpec.Layout.CLIPSTREAM_MANIFEST);
    }

    private static int explainScale(JsonNode scale, Path file) {
        if (scale.isMissingNode() || scale.isNull()) {
            return 1;
        }
        if (!scale.canConvertToInt() || !scale.isIntegralNumber() || scale.asInt() < 1) {
            throw new ModelLoadException(file + ": image.explainScale is " + scale + "; give a whole number >= 1 (how many "
                    + "times the crop size match localisation runs the image tower at), or leave it out for 1");
        }
        return scale.asInt();
    }

    private static ModelSpec readHuggingFace(Path directory, String variant) {
        String suffix = chooseVariant(directory, variant);
        Path configFile = directory.resolve("config.json");
        JsonNode config = readJson(configFile);
        JsonNode textConfig = config.path("text_config");
        Path preprocessorFile = existing(directory.resolve("preprocessor_config.json"), configFile);
        JsonNode preprocessor = readJson(preprocessorFile);
        Path tokenizerFile = existing(directory.resolve("tokenizer.json"), configFile);
        JsonNode tokenizerConfig = optionalJson(directory.resolve("tokenizer_config.json"));

        Path textOnnx = directory.resolve("onnx/text_model" + suffix + ".onnx");
        Path visionOnnx = directory.resolve("onnx/vision_model" + suffix + ".onnx");

        int maxLength = textLength(tokenizerConfig, textConfig);
        long padId = padId(tokenizerFile, tokenizerConfig, textConfig);
        TextModelSpec text = new TextModelSpec(textOnnx, tokenizerFile, maxLength, padId, "input_ids",
                Optional.of("attention_mask"), Optional.empty(), "text_embeds", Pooling.OUTPUT);

        int shortestEdge = shortestEdge(preprocessor.path("size"), preprocessorFile);
        boolean crop = preprocessor.path("do_center_crop").asBoolean(true);
        int[] cropSize = crop ? cropSize(preprocessor.path("crop_size"), shortestEdge) : new int[]{shortestEdge, shortestEdge};
        checkResample(preprocessor.path("resample").asText("3"), preprocessorFile);
        ImagePreprocessing preprocessing = new ImagePreprocessing(shortestEdge, cropSize[0], cropSize[1],
                floats(preprocessor.path("image_mean"), ImagePreprocessing.CLIP_MEAN),
                floats(preprocessor.path("image_std"), ImagePreprocessing.CLIP_STD));
        ImageModelSpec image = new ImageModelSpec(visionOnnx, "pixel_values", "image_embeds", preprocessing);

        int dimension = config.path("projection_dim").asInt(textConfig.path("projection_dim").asInt(0));
        if (dimension <= 0) {
            throw new ModelLoadException(configFile + " has no projection_dim; is this a CLIP-style dual encoder export?");
        }
        String id = config.path("_name_or_path").asText("");
        if (id.isBlank()) {
            id = directory.toAbsolutePath().normalize().getFileName().toString();
        }
        if (!suffix.isEmpty()) {
            id = id + suffix;
        }
        return new ModelSpec(id, dimension, text, image, directory, ModelSpec.Layout.HUGGING_FACE);
    }

    static String chooseVariant(Path directory, String variant) {
        List<String> present = new ArrayList<>();
        for (String suffix : HF_VARIANTS) {
            if (Files.isRegularFile(directory.resolve("onnx/text_model" + suffix + ".onnx"))
                    && Files.isRegularFile(directory.resolve("onnx/vision_model" + suffix + ".onnx"))) {
                present.add(suffix);
            }
        }
        if (present.isEmpty()) {
            String combined = Files.isRegularFile(directory.resolve("onnx/model.onnx"))
                    ? " It has a combined onnx/model.onnx, which clipstream cannot split: export the towers separately." : "";
            throw new ModelLoadException(directory.resolve("onnx") + " has no text_model.onnx and vision_model.onnx pair "
                    + "(or a quantized variant such as text_model_quantized.onnx)." + combined);
        }
        String wanted = variant == null ? "auto" : variant.trim().toLowerCase(Locale.ROOT);
        if (wanted.isEmpty() || wanted.equals("auto")) {
            return present.get(0);
        }
        String suffix = wanted.equals("full") || wanted.equals("fp32") ? "" : "_" + wanted;
        if (!present.contains(suffix)) {
            throw new ModelLoadException("model variant '" + variant + "' is not in " + directory.resolve("onnx")
                    + "; present: " + present.stream().map(s -> s.isEmpty() ? "full" : s.substring(1)).toList()
                    + ". Set model.variant to one of them");
        }
        return suffix;
    }

    private static int textLength(JsonNode tokenizerConfig, JsonNode textConfig) {
        long fromTokenizer = tokenizerConfig.path("model_max_length").asLong(0);
        // Tokenizers without a limit store a huge sentinel (1e30); the position table is the real bound.
        if (fromTokenizer > 0 && fromTokenizer <= 65_536) {
            return (int) fromTokenizer;
        }
        return textConfig.path("max_position_embeddings").asInt(CLIP_TEXT_LENGTH);
    }

    /**
     * The id to pad with. The tokenizer's own configuration wins: several published CLIP configs
     * carry a legacy pad_token_id of 1 in config.json while the tokenizer pads with end-of-text.
     */
    private static long padId(Path tokenizerFile, JsonNode tokenizerConfig, JsonNode textConfig) {
        JsonNode tokenizer = readJson(tokenizerFile);
        JsonNode padding = tokenizer.path("padding");
        if (padding.hasNonNull("pad_id")) {
            return padding.get("pad_id").asLong();
        }
        JsonNode padToken = tokenizerConfig.path("pad_token");
        String padText = padToken.isObject() ? padToken.path("content").asText(null) : padToken.asText(null);
        if (padText != null) {
            for (JsonNode added : tokenizer.path("added_tokens")) {
                if (padText.equals(added.path("content").asText())) {
                    return added.path("id").asLong();
                }
            }
            JsonNode vocabId = tokenizer.path("model").path("vocab").path(padText);
            if (vocabId.isNumber()) {
                return vocabId.asLong();
            }
        }
        if (textConfig.hasNonNull("pad_token_id")) {
            return textConfig.get("pad_token_id").asLong();
        }
        return textConfig.path("eos_token_id").asLong(0);
    }

    private static int shortestEdge(JsonNode size, Path file) {
        if (size.isInt()) {
            return size.asInt();
        }
        if (size.hasNonNull("shortest_edge")) {
            return size.get("shortest_edge").asInt();
        }
        if (size.hasNonNull("height") && size.hasNonNull("width")) {
            if (size.get("height").asInt() != size.get("width").asInt()) {
                throw new ModelLoadException(file + ": a non-square resize " + size + " is not supported");
            }
            // A square target resized by its shortest edge and centre-cropped keeps the aspect ratio;
            // SigLIP-style exports squash instead, which is logged below as a known difference.
            LOG.warn("{}: size {} asks for an exact resize; clipstream resizes the shortest edge and centre-crops "
                    + "(embeddings of non-square images will differ slightly from the reference processor)", file, size);
            return size.get("height").asInt();
        }
        throw new ModelLoadException(file + ": 'size' must give shortest_edge or height/width, got " + size);
    }

    private static int[] cropSize(JsonNode crop, int fallback) {
        if (crop.isInt()) {
            return new int[]{crop.asInt(), crop.asInt()};
        }
        if (crop.isArray() && crop.size() == 2) {
            return new int[]{crop.get(0).asInt(), crop.get(1).asInt()};
        }
        if (crop.hasNonNull("height") && crop.hasNonNull("width")) {
            return new int[]{crop.get("height").asInt(), crop.get("width").asInt()};
        }
        return new int[]{fallback, fallback};
    }

    private static void checkResample(String resample, Path file) {
        String value = resample.trim().toLowerCase(Locale.ROOT);
        if (!value.equals("bicubic") && !value.equals("3")) {
            LOG.warn("{}: resample '{}' requested; clipstream resizes with bicubic (PIL's filter), as CLIP does", file, resample);
        }
    }

    private static float[] floats(JsonNode array, float[] fallback) {
        if (!array.isArray()) {
            return fallback;
        }
        float[] values = new float[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) array.get(i).asDouble();
        }
        return values;
    }

    private static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new ModelLoadException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode optionalJson(Path file) {
        return Files.isRegularFile(file) ? readJson(file) : JSON.createObjectNode();
    }

    private static JsonNode required(JsonNode node, String field, Path file) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new ModelLoadException(file + " lacks the field '" + field + "'; see docs/MODELS.md");
        }
        return value;
    }

    private static String requiredText(JsonNode node, String field, Path file) {
        return required(node, field, file).asText();
    }

    /** A manifest path: relative to the manifest, or {@code classpath:/...} for a file shipped in a jar. */
    private static Path modelFile(Path directory, String value, Path manifest, ClasspathModelFiles classpathFiles) {
        if (ClasspathModelFiles.isClasspath(value)) {
            return classpathFiles.resolve(value, manifest);
        }
        return existing(directory.resolve(value), manifest);
    }

    private static Path existing(Path path, Path referencedBy) {
        if (!Files.isRegularFile(path)) {
            throw new ModelLoadException(path + " (named by " + referencedBy.getFileName() + ") does not exist");
        }
        return path.normalize();
    }
}
