/**
 * Wire formats of the topics: Avro binary records, Confluent's framing (magic byte and schema id, spoken here
 * because Confluent's serializer is not on Maven Central), and the one-pass vector decoder that reads a
 * VectorRecord's floats without building the whole record. Imports schemaregistry for the ids, index and common
 * for the decoded vector.
 */
package io.clipstream.serde;
