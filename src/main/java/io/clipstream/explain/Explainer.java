package io.clipstream.explain;

import io.clipstream.common.EncodingException;
import io.clipstream.encoders.NoSpatialFeaturesException;
import io.clipstream.search.ItemImages;
import io.clipstream.search.SearchException;

/**
 * Match localisation as the REST API offers it: a heat map, as PNG, of where a text matches an
 * indexed item's stored image or an uploaded one. Failures are {@link SearchException}s carrying
 * the HTTP status: 400 for a missing text or an undecodable image, 404 when the item has no stored
 * image, 422 when the model has no spatial features.
 */
public final class Explainer {

    /** Status for a model without spatial features: the request is well formed, this model cannot answer it. */
    public static final int NO_SPATIAL_FEATURES = 422;

    private final MatchLocalizer localizer;
    private final ItemImages images;
    private final int maxTextChars;
    private final HeatMapRenderer renderer = new HeatMapRenderer();

    /** @param maxTextChars the longest text accepted, as for searches ({@code search.max.text.chars}) */
    public Explainer(MatchLocalizer localizer, ItemImages images, int maxTextChars) {
        this.localizer = localizer;
        this.images = images;
        this.maxTextChars = maxTextChars;
    }

    /** The heat map of {@code text} over the stored image of item {@code id}. */
    public byte[] explainItem(String id, String text) {
        String query = requireText(text, "q");
        requireSpatialFeatures();
        byte[] image = images.image(id).orElseThrow(() -> new SearchException(404, "item '" + id
                + "' has no stored image: it is not indexed, or it was indexed from a URL or as a caption and no "
                + "thumbnail is kept for it; explain an uploaded image with POST /v1/explain instead"));
        return render(image, "item '" + id + "'", query);
    }

    /** The heat map of {@code text} over an image sent with the request. */
    public byte[] explainImage(byte[] image, String text) {
        String query = requireText(text, "text");
        requireSpatialFeatures();
        if (image == null) {
            throw SearchException.badRequest("give the image to explain as imageBase64");
        }
        return render(image, "imageBase64", query);
    }

    private byte[] render(byte[] image, String name, String text) {
        try {
            return renderer.renderPng(localizer.localise(image, name, text));
        } catch (NoSpatialFeaturesException e) {
            throw new SearchException(NO_SPATIAL_FEATURES, e.getMessage(), e);
        } catch (EncodingException e) {
            throw new SearchException(e.reason() == EncodingException.Reason.MODEL_ERROR ? 500 : 400, e.getMessage(), e);
        }
    }

    private void requireSpatialFeatures() {
        if (!localizer.available()) {
            NoSpatialFeaturesException e = new NoSpatialFeaturesException(localizer.modelId());
            throw new SearchException(NO_SPATIAL_FEATURES, e.getMessage(), e);
        }
    }

    private String requireText(String text, String parameter) {
        if (text == null || text.isBlank()) {
            throw SearchException.badRequest("give the text to localise as '" + parameter + "' (non-blank)");
        }
        if (text.length() > maxTextChars) {
            throw SearchException.badRequest("'" + parameter + "' has " + text.length() + " characters, over the limit of "
                    + maxTextChars + " (search.max.text.chars)");
        }
        return text;
    }
}
