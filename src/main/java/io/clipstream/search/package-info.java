/**
 * Answering a query across the cluster: embeds the query text or image, asks the local stores (LocalStoreQueries,
 * in parallel over partitions) and every peer (PeerClient) for their top k, and merges them into one ranked
 * SearchResult, naming the partitions that did not answer. Imports store, encoders, fetch and common; topology
 * and http call it.
 */
package io.clipstream.search;
