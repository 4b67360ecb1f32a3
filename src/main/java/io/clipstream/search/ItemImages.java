package io.clipstream.search;

import java.util.Optional;

/**
 * The image of an indexed item as the service can still get it: the thumbnail the index keeps for
 * images that arrived as bytes (a JPEG, longest side at most 256 px), found on whichever instance
 * holds the item's partition. Pages show it; match localisation (explain) reads it.
 */
public interface ItemImages {

    /** The item's stored image (encoded JPEG bytes), or empty when none is kept for it. */
    Optional<byte[]> image(String id);
}
