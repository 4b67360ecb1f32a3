package io.clipstream.search;

import io.clipstream.schema.Modality;

/** The index's stores, one per modality, and the vector topic each is materialised from. */
public final class StoreNames {

    public static final String IMAGE_STORE = "vectors-image-store";
    public static final String TEXT_STORE = "vectors-text-store";
    /** Item id to JPEG thumbnail, materialised from the thumbnail topic (a plain RocksDB key-value store). */
    public static final String THUMBNAIL_STORE = "thumbnails-store";

    private StoreNames() {
    }

    public static String store(Modality modality) {
        return modality == Modality.IMAGE ? IMAGE_STORE : TEXT_STORE;
    }
}
