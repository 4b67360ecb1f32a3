package io.clipstream.ingest;

/** The two kinds of item an ingest sends, each with its own event topic and vector topic. */
public enum ItemKind {
    IMAGE, CAPTION
}
