package io.clipstream.tools.eval;

import java.util.Locale;

/**
 * Which folder of an image's path is its true category, for tagging evaluation: the top folder
 * ({@code animals} for {@code animals/birds/owl}) or the folder the file sits in ({@code birds}).
 */
public enum CategoryLevel {
    TOP, LEAF;

    /** The category folder of a gallery id, or null for an image at the gallery's root. */
    public String folderOf(String imageId) {
        int last = imageId.lastIndexOf('/');
        if (last < 0) {
            return null;
        }
        return this == TOP ? imageId.substring(0, imageId.indexOf('/')) : imageId.substring(imageId.lastIndexOf('/', last - 1) + 1, last);
    }

    /** A folder name as a label: '_' and '-' become spaces ({@code signs_and_symbols} to {@code signs and symbols}). */
    public static String labelOf(String folder) {
        return folder.replace('_', ' ').replace('-', ' ').replaceAll("\\s+", " ").strip().toLowerCase(Locale.ROOT);
    }

    public static CategoryLevel parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--level '" + value + "' is not one of top, leaf");
        }
    }
}
