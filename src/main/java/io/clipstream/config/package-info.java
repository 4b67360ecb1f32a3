/**
 * The service's configuration as one typed value, built from a properties file and CLIPSTREAM_* environment
 * variables, and the generated reference of every setting in docs/OPERATIONS.md. Builds each stage's own settings
 * record; stages never import it (ArchitectureTest), the entry points do.
 */
package io.clipstream.config;
