package io.clipstream.search;

import io.clipstream.schema.Modality;

/** The index's stores, one per modality, and the vector topic each is materialised from. */
public final class StoreNames {

    public static final String IMAGE_STORE = "vectors-image-store";
    public static final String TEXT_STORE = "vectors-text-store";

    private StoreNames() {
    }

    public static String store(Modality modality) {
        return modality == Modality.IMAGE ? IMAGE_STORE : TEXT_STORE;
    }
}
