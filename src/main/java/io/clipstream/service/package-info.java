/**
 * One clipstream instance: provisions topics, starts the embedder, index and responder applications for its roles
 * with the shared exception handlers, the HTTP API, metrics and the health that turns not ready when stream
 * threads keep failing. Top of the flow: it wires every stage, and only the CLI and the embedded demo start it.
 */
package io.clipstream.service;
