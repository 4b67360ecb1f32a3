/**
 * The vector index as a segment engine, free of Kafka: an append-only write buffer, sealed segments with their
 * graphs (JVector, flat graph search), merges, compression (int8, binary, PQ) and their scorers, and persistence
 * (manifest with CRC, runs and graph files) so that a restart reads the graphs instead of rebuilding them. The
 * store package puts it behind a Kafka Streams state store.
 */
package io.clipstream.index;
