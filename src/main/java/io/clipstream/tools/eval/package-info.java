/**
 * Retrieval and tagging evaluation run by clipstream evaluate: galleries and query files, Recall@k and MRR beside
 * a random baseline, and the SVG rasteriser that shells out to rsvg-convert. Tooling: only the CLI imports it,
 * never the service (ArchitectureTest).
 */
package io.clipstream.tools.eval;
