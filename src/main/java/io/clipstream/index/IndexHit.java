package io.clipstream.index;

/** One match from a {@link VectorIndex}: the item id and its dot-product score. */
public record IndexHit(String id, float score) {
}
