/**
 * Values and errors that every stage shares: the invalid-event error, the encoder errors, the vector record
 * helpers, tags and progress reporting. It imports no stage (only the Avro schema classes), so any package may
 * import it; that is what keeps the others one-way (ArchitectureTest).
 */
package io.clipstream.common;
