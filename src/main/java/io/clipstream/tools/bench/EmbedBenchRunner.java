package io.clipstream.tools.bench;

import ai.onnxruntime.OrtEnvironment;
import io.clipstream.common.ProgressBar;
import io.clipstream.common.ProgressBars;
import io.clipstream.encoders.ClipModel;
import io.clipstream.encoders.DeviceRequest;
import io.clipstream.encoders.EncoderSettings;
import io.clipstream.encoders.image.DecodeLimits;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Consumer;

/**
 * Runs {@code bench embed}: for each model, the clipstream figures, then (model closed, CPU free)
 * the torch baseline on the same ids and pixels, and joins them into one report.
 */
public final class EmbedBenchRunner {

    private final Consumer<String> progress;
    private final ProgressBars bars;

    /**
     * @param progress receives one line per step, for a human watching a run of several minutes
     * @param bars     where each model's measurements are shown as a bar (their count and length are known)
     */
    public EmbedBenchRunner(Consumer<String> progress, ProgressBars bars) {
        this.progress = progress;
        this.bars = bars;
    }

    public EmbedBenchReport run(EmbedBenchSettings settings) {
        List<String> captions = BenchCaptions.load();
        List<BenchImage> images = settings.imagesDir().map(SyntheticImages::readDirectory)
                .orElseGet(() -> SyntheticImages.generate(EmbedBenchSettings.GENERATED_IMAGES, EmbedBenchSettings.IMAGE_SEED));
        EmbedBenchmark benchmark = new EmbedBenchmark(new ThroughputMeter(settings.budget()));
        double seconds = settings.budget().toNanos() / 1e9;
        List<EmbedBenchRow> rows = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        String torchVersion = settings.torch().isPresent() ? "unknown" : "not run";
        for (Path modelDir : settings.models()) {
            EncoderSettings encoder = new EncoderSettings(modelDir, "auto", DeviceRequest.CPU, false, settings.threads(),
                    settings.largestBatch(), DecodeLimits.DEFAULT);
            String modelId;
            List<ClipstreamFigures> figures;
            Path torchInputs = null;
            try {
                try (ClipModel model = ClipModel.open(encoder)) {
                    modelId = model.id();
                    BenchInputs inputs = BenchInputs.prepare(model, captions, images);
                    progress.accept("measuring " + modelId + " (" + modelDir + ")");
                    ProgressBar bar = bars.start("measuring", EmbedBenchmark.measurements(settings.batches()), "runs");
                    figures = benchmark.run(model, inputs, settings.batches(), bar);
                    bar.finish();
                    if (settings.torch().isPresent() && TorchBaseline.kindFor(modelId).isPresent()) {
                        torchInputs = Files.createTempFile("clipstream-bench-inputs", ".bin");
                        TorchInputsFile.write(torchInputs, inputs);
                    }
                }
                Optional<TorchBaseline.Result> torch = Optional.empty();
                if (settings.torch().isPresent()) {
                    Optional<String> kind = TorchBaseline.kindFor(modelId);
                    if (kind.isEmpty()) {
                        notes.add("no torch twin of model " + modelId + " (bench_torch.py knows fixture-tiny and "
                                + "bench-clip-vit-b-32), so it has no torch figure");
                    } else {
                        progress.accept("measuring torch on the same inputs (" + kind.get() + ")");
                        try {
                            torch = Optional.of(new TorchBaseline(settings.torch().get()).run(kind.get(), modelDir, torchInputs));
                            torchVersion = torch.get().torchVersion() + ", " + settings.torch().get().threads() + " threads, BLAS: "
                                    + torch.get().blas();
                        } catch (TorchBaseline.TorchBaselineException e) {
                            notes.add("torch baseline for " + modelId + " failed: " + e.getMessage());
                        }
                    }
                }
                for (ClipstreamFigures f : figures) {
                    OptionalDouble torchRate = torch.flatMap(t -> t.find(f.modality(), f.batch()))
                            .map(t -> OptionalDouble.of(t.itemsPerSecond())).orElse(OptionalDouble.empty());
                    rows.add(new EmbedBenchRow(modelId, f.modality(), f.batch(), f.modelOnly().itemsPerSecond(),
                            f.endToEnd().itemsPerSecond(), torchRate));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the torch benchmark inputs: " + e.getMessage(), e);
            } finally {
                deleteQuietly(torchInputs);
            }
        }
        EmbedBenchReport.Conditions conditions = new EmbedBenchReport.Conditions(settings.threads(), seconds,
                settings.batches(), Runtime.version().toString(), OrtEnvironment.getEnvironment().getVersion(),
                Runtime.getRuntime().availableProcessors(), torchVersion);
        return new EmbedBenchReport(conditions, rows, notes);
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover temp file is harmless
            }
        }
    }
}
