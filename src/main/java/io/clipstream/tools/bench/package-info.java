/**
 * Benchmarks run by clipstream bench: embedding, ingest, the whole pipeline, kNN search beside hnswlib and faiss,
 * HTTP overload, decode and watchlists, with their torch and Python reference launchers. Tooling: only the CLI
 * imports it, never the service (ArchitectureTest).
 */
package io.clipstream.tools.bench;
