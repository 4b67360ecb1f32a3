package io.clipstream.ingest;

/** One sent item: its kind and its id (the record key). */
public record ItemRef(ItemKind kind, String id) {

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + " " + id;
    }
}
