/**
 * The clipstream command line (picocli): serve, demo, ingest, embed, tokenize, evaluate, config-reference and the
 * bench commands. The entry point above everything: it may import every package, tooling included, and nothing
 * imports it.
 */
package io.clipstream.cli;
