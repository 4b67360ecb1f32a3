package io.clipstream.encoders;

/**
 * The loaded image tower exports no spatial features, so nothing can say where in an image a query
 * matches. A property of the model, not of the request.
 */
public final class NoSpatialFeaturesException extends RuntimeException {

    public NoSpatialFeaturesException(String model) {
        super("model " + model + " has no spatial image features (its image tower exports only a pooled vector), so "
                + "match localisation is unavailable; use a model whose clipstream-model.json names a grid output as "
                + "image.patchOutput ([batch, rows, cols, dimension] in the shared space, as models/default does), "
                + "see docs/MODELS.md");
    }
}
