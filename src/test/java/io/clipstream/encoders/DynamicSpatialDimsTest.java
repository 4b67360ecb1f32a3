package io.clipstream.encoders;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clipstream.encoders.image.CropWindow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The default model's spatial dims are dynamic (scripts/default_model/dynamic_spatial.py): its
 * outputs at 48x48 are those of the file as it was before, and the same tower runs at multiples of
 * its input size, returning a finer grid over the same crop of the image.
 */
class DynamicSpatialDimsTest {

    static final Path DEFAULT_MODEL = Path.of("models/default");
    static final Path GALLERY = Path.of("src/test/resources/eval-gallery/images");
    /** Outputs of the fixed-size file, 7 significant digits (src/test/resources/fixtures/default-model). */
    static final Path BEFORE = Path.of("src/test/resources/fixtures/default-model/outputs-48.json");
    static final double TOLERANCE = 1e-6;

    static ClipModel model;

    @BeforeAll
    static void open() {
        model = ClipModel.open(EncoderSettings.cpu(DEFAULT_MODEL));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void outputsAt48AreThoseOfTheModelBeforeItsDimsWereMadeDynamic() throws IOException {
        JsonNode before = new ObjectMapper().readTree(BEFORE.toFile());
        int grids = 0;
        for (JsonNode image : before.get("images")) {
            String file = image.get("file").asText();
            byte[] bytes = Files.readAllBytes(GALLERY.resolve(file));
            assertClose(file + " image_embeds", floats(image.get("imageEmbeds")), model.image().embed(List.of(bytes)).get(0));
            if (image.has("patchEmbeds")) {
                PatchGrid grid = model.image().patchGrid(model.image().prepare(bytes, file), model.id());
                assertEquals(image.get("gridRows").asInt(), grid.rows());
                assertEquals(image.get("gridCols").asInt(), grid.cols());
                assertClose(file + " patch_embeds", floats(image.get("patchEmbeds")), grid.vectors());
                grids++;
            }
        }
        assertEquals(8, before.get("images").size());
        assertEquals(1, grids);
    }

    @Test
    void theTowerRunsAtMultiplesOfItsInputSizeGivingAFinerGridOverTheSameCrop() {
        BufferedImage image = new BufferedImage(120, 60, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 60; x++) {
            for (int y = 0; y < 60; y++) {
                image.setRGB(x, y, 0xFF0000);
                image.setRGB(x + 60, y, 0xFFFFFF);
            }
        }
        PatchGrid atInputSize = model.image().patchGrid(model.image().prepare(image), model.id());
        PatchGrid once = model.image().patchGrid(image, 1, model.id());
        assertArrayEquals(atInputSize.vectors(), once.vectors(), "scale 1 is the embedding size's grid");
        assertEquals(atInputSize.window(), once.window());
        for (int scale = 2; scale <= 3; scale++) {
            PatchGrid grid = model.image().patchGrid(image, scale, model.id());
            assertEquals(3 * scale, grid.rows(), "scale " + scale);
            assertEquals(3 * scale, grid.cols(), "scale " + scale);
            assertEquals(new CropWindow(30, 0, 60, 60), grid.window(), "scale " + scale);
            for (int cell = 0; cell < grid.rows() * grid.cols(); cell++) {
                float[] v = Arrays.copyOfRange(grid.vectors(), cell * 384, (cell + 1) * 384);
                assertEquals(1.0, Vectors.dot(v, v), 1e-4);
                assertTrue(Float.isFinite(v[0]));
            }
        }
    }

    @Test
    void explainGridUsesTheManifestsExplainScale() {
        int scale = model.spec().image().explainScale();
        assertTrue(scale > 1, "the default model localises at a multiple of its input size (image.explainScale)");
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        PatchGrid grid = model.image().explainGrid(image, model.id());
        assertEquals(3 * scale, grid.rows());
        assertEquals(3 * scale, grid.cols());
    }

    private static void assertClose(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what);
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(worst <= TOLERANCE, what + ": largest difference " + worst);
    }

    private static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).asDouble();
        }
        return out;
    }
}
