/**
 * Zero-shot tagging: scores an image vector against the text vectors of a label set and its prompt templates and
 * keeps the top tags. Uses encoders for the label vectors; the embedder topology applies it.
 */
package io.clipstream.tagging;
