package io.clipstream.tools.bench;

/** What benchmark vectors look like: independent random directions, or clustered like real embeddings. */
public enum VectorData { RANDOM, CLUSTERED }
