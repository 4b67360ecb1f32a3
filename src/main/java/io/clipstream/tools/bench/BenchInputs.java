package io.clipstream.tools.bench;

import io.clipstream.encoders.ClipModel;
import io.clipstream.encoders.PreparedImage;
import io.clipstream.encoders.text.TokenizedText;

import java.util.ArrayList;
import java.util.List;

/**
 * One model's benchmark inputs, raw (for the end-to-end figures) and ready for the model (for the
 * model-only figures and for the torch baseline, which gets exactly these ids and pixels).
 */
public record BenchInputs(List<String> captions, List<TokenizedText> tokens, List<BenchImage> images,
                          List<PreparedImage> pixels, long padId, int imageHeight, int imageWidth) {

    public BenchInputs {
        if (captions.isEmpty() || images.isEmpty()) {
            throw new IllegalArgumentException("a benchmark needs at least one caption and one image");
        }
        captions = List.copyOf(captions);
        tokens = List.copyOf(tokens);
        images = List.copyOf(images);
        pixels = List.copyOf(pixels);
    }

    public static BenchInputs prepare(ClipModel model, List<String> captions, List<BenchImage> images) {
        List<TokenizedText> tokens = new ArrayList<>(captions.size());
        for (int i = 0; i < captions.size(); i++) {
            tokens.add(model.text().tokenize(captions.get(i), "caption[" + i + "]"));
        }
        List<PreparedImage> pixels = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            pixels.add(model.image().prepare(images.get(i).bytes(), images.get(i).name()));
        }
        var preprocessing = model.spec().image().preprocessing();
        return new BenchInputs(captions, tokens, images, pixels, model.spec().text().padId(),
                preprocessing.cropHeight(), preprocessing.cropWidth());
    }
}
