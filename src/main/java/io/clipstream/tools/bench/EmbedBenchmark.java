package io.clipstream.tools.bench;

import io.clipstream.common.ProgressBar;
import io.clipstream.encoders.ClipModel;
import io.clipstream.encoders.PreparedImage;
import io.clipstream.encoders.text.TokenizedText;

import java.util.ArrayList;
import java.util.List;

/**
 * Measures one open model: for each batch size, texts/s and images/s through the model call alone
 * ({@code embedTokenized}, {@code embedPrepared}) and end to end (tokenise + embed; decode +
 * preprocess + embed). The model-only figure still includes what the encoder does around the
 * ONNX Runtime call (padding, tensor copies, pooling, L2 normalisation), as the torch baseline does.
 */
public final class EmbedBenchmark {

    private final ThroughputMeter meter;

    public EmbedBenchmark(ThroughputMeter meter) {
        this.meter = meter;
    }

    /** Measurements {@link #run} makes: model-only and end to end, texts and images, per batch size. */
    public static int measurements(List<Integer> batches) {
        return 4 * batches.size();
    }

    /** @param bar advanced by one after each of the {@link #measurements} measurements */
    public List<ClipstreamFigures> run(ClipModel model, BenchInputs inputs, List<Integer> batches, ProgressBar bar) {
        List<ClipstreamFigures> figures = new ArrayList<>();
        for (int b : batches) {
            Throughput textModel = meter.measure(b, k -> model.text().embedTokenized(BatchCycle.batch(inputs.tokens(), k, b)));
            bar.advance(1);
            Throughput textEndToEnd = meter.measure(b, k -> {
                List<String> batch = BatchCycle.batch(inputs.captions(), k, b);
                List<TokenizedText> tokens = new ArrayList<>(b);
                for (int i = 0; i < batch.size(); i++) {
                    tokens.add(model.text().tokenize(batch.get(i), "caption[" + i + "]"));
                }
                model.text().embedTokenized(tokens);
            });
            bar.advance(1);
            figures.add(new ClipstreamFigures(Modality.TEXT, b, textModel, textEndToEnd));
        }
        for (int b : batches) {
            Throughput imageModel = imageModelOnly(model, inputs.pixels(), b);
            bar.advance(1);
            Throughput imageEndToEnd = imageEndToEnd(model, inputs.images(), b);
            bar.advance(1);
            figures.add(new ClipstreamFigures(Modality.IMAGE, b, imageModel, imageEndToEnd));
        }
        return figures;
    }

    /** Images/s of the model call alone on prepared pixels, batches of {@code b}. */
    public Throughput imageModelOnly(ClipModel model, List<PreparedImage> pixels, int b) {
        return meter.measure(b, k -> model.image().embedPrepared(BatchCycle.batch(pixels, k, b)));
    }

    /** Images/s end to end, one thread: decode and preprocess each image of the batch, then embed the batch. */
    public Throughput imageEndToEnd(ClipModel model, List<BenchImage> images, int b) {
        return meter.measure(b, k -> {
            List<BenchImage> batch = BatchCycle.batch(images, k, b);
            List<PreparedImage> prepared = new ArrayList<>(b);
            for (BenchImage image : batch) {
                prepared.add(model.image().prepare(image.bytes(), image.name()));
            }
            model.image().embedPrepared(prepared);
        });
    }
}
