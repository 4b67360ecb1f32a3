package io.clipstream.tools.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TorchBaselineTest {

    private final TorchBaseline baseline = new TorchBaseline(new TorchBaseline.Settings(Path.of("/usr/bin/python3"),
            Path.of("scripts/bench_torch.py"), 2, 1.0, List.of(1, 8), Optional.empty()));

    @Test
    void readsFiguresAndSkipsWarningLines() {
        TorchBaseline.Result result = baseline.parse(List.of(
                "/usr/lib/python3/dist-packages/torch/onnx/utils.py:1: UserWarning: something",
                "{\"engine\": \"torch\", \"torch\": \"1.13.0a0\", \"blas\": \"/x/libblas.so.3\", \"modality\": \"text\", \"batch\": 8, \"itemsPerSecond\": 12.5}",
                "{\"engine\": \"torch\", \"torch\": \"1.13.0a0\", \"blas\": \"/x/libblas.so.3\", \"modality\": \"image\", \"batch\": 1, \"itemsPerSecond\": 0.25}"));
        assertEquals("1.13.0a0", result.torchVersion());
        assertEquals("/x/libblas.so.3", result.blas());
        assertEquals(12.5, result.find(Modality.TEXT, 8).orElseThrow().itemsPerSecond());
        assertEquals(0.25, result.find(Modality.IMAGE, 1).orElseThrow().itemsPerSecond());
        assertTrue(result.find(Modality.IMAGE, 8).isEmpty());
    }

    @Test
    void aMalformedFigureOrNoFigureIsAnErrorNotAnEmptyColumn() {
        var bad = assertThrows(TorchBaseline.TorchBaselineException.class,
                () -> baseline.parse(List.of("{\"engine\": \"torch\", \"modality\": \"sound\", \"batch\": 1}")));
        assertTrue(bad.getMessage().contains("not a figure"), bad.getMessage());
        var none = assertThrows(TorchBaseline.TorchBaselineException.class, () -> baseline.parse(List.of("Traceback")));
        assertTrue(none.getMessage().contains("no figures"), none.getMessage());
    }

    @Test
    void knowsTheTwinsOfTheBenchmarkModelsOnly() {
        assertEquals(Optional.of("fixture"), TorchBaseline.kindFor("fixture-tiny"));
        assertEquals(Optional.of("clip-vit-b-32"), TorchBaseline.kindFor("bench-clip-vit-b-32"));
        assertTrue(TorchBaseline.kindFor("openai/clip-vit-base-patch32").isEmpty());
    }
}
