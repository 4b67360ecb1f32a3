/**
 * The Kafka Streams topologies: the embedder (batching, image preparation, the model call, dead-lettering of bad
 * events), the index (vector tables into the vector stores, watchlist scoring, alerts) and the responder (search
 * requests from a topic, replies under the reply-topic policy). Wires encoders, fetch, store, search, serde,
 * tagging and watchlist together; service runs it.
 */
package io.clipstream.topology;
