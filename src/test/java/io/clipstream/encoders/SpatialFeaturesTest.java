package io.clipstream.encoders;

import io.clipstream.common.ModelLoadException;
import io.clipstream.encoders.image.ClipImagePreprocessor;
import io.clipstream.encoders.image.CropWindow;
import io.clipstream.encoders.image.ImagePreprocessing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The image tower's spatial grid (image.patchOutput): reading it, scoring it, and refusing without it. */
class SpatialFeaturesTest {

    static final Path DEFAULT_MODEL = Path.of("models/default");
    static final Path NO_GRID_MODEL = Path.of("models/fixture-tiny");

    @Test
    void theManifestNamesTheGridOutput() {
        assertEquals("patch_embeds", ModelLoader.load(DEFAULT_MODEL, "auto").image().patchOutput().orElseThrow());
        assertTrue(ModelLoader.load(NO_GRID_MODEL, "auto").image().patchOutput().isEmpty());
        assertTrue(ModelLoader.load(Path.of("models/fixture-tiny-hf"), "auto").image().patchOutput().isEmpty(),
                "a Hugging Face vision_model.onnx has no grid in the shared space");
    }

    @Test
    void theDefaultModelGivesA3x3GridOfUnitVectorsOverTheCentreCrop() {
        try (ClipModel model = ClipModel.open(EncoderSettings.cpu(DEFAULT_MODEL))) {
            assertTrue(model.image().hasSpatialFeatures());
            BufferedImage image = new BufferedImage(120, 60, BufferedImage.TYPE_INT_RGB);
            for (int x = 0; x < 60; x++) {
                for (int y = 0; y < 60; y++) {
                    image.setRGB(x, y, 0xFF0000);
                    image.setRGB(x + 60, y, 0xFFFFFF);
                }
            }
            PatchGrid grid = model.image().patchGrid(model.image().prepare(image), model.id());
            assertEquals(3, grid.rows());
            assertEquals(3, grid.cols());
            assertEquals(384, grid.dimension());
            for (int cell = 0; cell < 9; cell++) {
                float[] v = java.util.Arrays.copyOfRange(grid.vectors(), cell * 384, (cell + 1) * 384);
                assertEquals(1.0, Vectors.dot(v, v), 1e-4);
            }
            assertEquals(new CropWindow(30, 0, 60, 60), grid.window());

            float[] query = model.text().embed(List.of("a red square")).get(0).vector();
            MatchGrid scores = grid.score(query);
            float[] cell0 = java.util.Arrays.copyOfRange(grid.vectors(), 0, 384);
            assertEquals(Vectors.dot(cell0, query), scores.score(0, 0), 1e-5);
            assertTrue(scores.min() >= -1 && scores.max() <= 1);
        }
    }

    @Test
    void aModelWithoutAGridSaysSoByName() {
        try (ClipModel model = ClipModel.open(EncoderSettings.cpu(NO_GRID_MODEL))) {
            assertFalse(model.image().hasSpatialFeatures());
            PreparedImage image = model.image().prepare(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB));
            NoSpatialFeaturesException e = assertThrows(NoSpatialFeaturesException.class,
                    () -> model.image().patchGrid(image, model.id()));
            assertTrue(e.getMessage().contains("fixture-tiny") && e.getMessage().contains("image.patchOutput"), e.getMessage());
        }
    }

    @Test
    void aGridOutputTheOnnxFileLacksFailsAtLoad(@TempDir Path dir) throws IOException {
        Path copy = Files.createDirectories(dir.resolve("m"));
        try (Stream<Path> files = Files.list(NO_GRID_MODEL)) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        Files.writeString(copy.resolve(ModelLoader.MANIFEST), Files.readString(copy.resolve(ModelLoader.MANIFEST))
                .replace("\"output\": \"embedding\",", "\"output\": \"embedding\", \"patchOutput\": \"patches\",")
                .replace("../clip-tokenizer", NO_GRID_MODEL.toAbsolutePath().resolve("../clip-tokenizer").normalize().toString()));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ClipModel.open(EncoderSettings.cpu(copy)).close());
        assertTrue(e.getMessage().contains("'patches'") && e.getMessage().contains("image.patchOutput"), e.getMessage());
    }

    @Test
    void theCropWindowIsWhereTheCentreCropComesFrom() {
        ClipImagePreprocessor preprocessor = new ClipImagePreprocessor(ImagePreprocessing.clip(48));
        assertEquals(new CropWindow(50, 0, 100, 100), preprocessor.cropWindow(200, 100));
        assertEquals(new CropWindow(0, 50, 100, 100), preprocessor.cropWindow(100, 200));
        assertEquals(new CropWindow(0, 0, 256, 256), preprocessor.cropWindow(256, 256));
    }
}
