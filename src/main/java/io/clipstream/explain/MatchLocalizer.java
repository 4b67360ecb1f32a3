package io.clipstream.explain;

import io.clipstream.encoders.ClipModel;
import io.clipstream.encoders.MatchGrid;
import io.clipstream.encoders.NoSpatialFeaturesException;
import io.clipstream.encoders.PatchGrid;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Where in an image a text matches: the image tower's spatial grid scored against the text tower's
 * vector, cell by cell (cosine), over the decoded image the grid describes.
 */
public final class MatchLocalizer {

    private final ClipModel model;
    /** Times the embedding input size the tower runs at here; 0 = the model's image.explainScale. */
    private final int scale;

    public MatchLocalizer(ClipModel model) {
        this(model, 0);
    }

    /** Runs the tower at {@code scale} times its input size instead of the model's explain scale (measurements). */
    public MatchLocalizer(ClipModel model, int scale) {
        if (scale < 0) {
            throw new IllegalArgumentException("scale must be >= 1, or 0 for the model's image.explainScale; got " + scale);
        }
        this.model = model;
        this.scale = scale;
    }

    /** The decoded image and its grid of match scores. */
    public record Localisation(BufferedImage image, MatchGrid grid) {
    }

    public String modelId() {
        return model.id();
    }

    public boolean available() {
        return model.image().hasSpatialFeatures();
    }

    /**
     * @throws NoSpatialFeaturesException when the model exports no spatial features (checked before
     *                                    any decoding or embedding)
     * @throws io.clipstream.common.EncodingException for an image that cannot be decoded or an empty text
     */
    public Localisation localise(byte[] encodedImage, String imageName, String text) {
        requireSpatialFeatures();
        return localise(model.image().decode(encodedImage, imageName), text);
    }

    public Localisation localise(BufferedImage image, String text) {
        requireSpatialFeatures();
        float[] query = model.text().embed(List.of(text)).get(0).vector();
        PatchGrid patches = scale == 0 ? model.image().explainGrid(image, model.id()) : model.image().patchGrid(image, scale, model.id());
        MatchGrid grid = patches.score(query);
        return new Localisation(image, grid);
    }

    private void requireSpatialFeatures() {
        if (!available()) {
            throw new NoSpatialFeaturesException(model.id());
        }
    }
}
