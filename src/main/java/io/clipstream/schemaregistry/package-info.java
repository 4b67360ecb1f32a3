/**
 * A Confluent-compatible schema registry: the HTTP client the serdes use (with a bounded id cache and redacted
 * credentials), and the in-process registry the demo and tests run. Imports nothing of the stages.
 */
package io.clipstream.schemaregistry;
