package io.clipstream.index;

/** One hit of a partition search: the item, its full-precision score and what it returns. */
public record ItemHit(String id, float score, HitPayload payload) {
}
