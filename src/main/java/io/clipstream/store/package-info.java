/**
 * The Kafka Streams state store that holds a partition's vectors: RocksDB for the records (the changelog's source
 * of truth) and the index segment engine for search, kept in step on put, delete and restore; the
 * interactive-query types (KnnQuery, KnnResult) that reach it. Imports index and common; topology and search use
 * it.
 */
package io.clipstream.store;
