package io.clipstream.tools.bench;

/**
 * clipstream's two figures for one modality and batch size.
 *
 * @param modelOnly ready inputs (token ids, preprocessed pixels) to normalised vectors
 * @param endToEnd  raw inputs (text, encoded image bytes) to normalised vectors
 */
public record ClipstreamFigures(Modality modality, int batch, Throughput modelOnly, Throughput endToEnd) {
}
