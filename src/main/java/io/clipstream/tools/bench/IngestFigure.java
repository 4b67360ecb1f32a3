package io.clipstream.tools.bench;

/**
 * How fast produced records became searchable.
 *
 * @param input             "vectors" (pre-computed, to the vector topic: embedding excluded) or "images" (image
 *                          events to the image topic: decode, preprocess, embed, index)
 * @param model             the model id the stack served
 * @param indexSizeBefore   vectors the image store already held
 * @param items             records produced
 * @param produceSeconds    first send to the last broker acknowledgement
 * @param searchableSeconds first send to every record searchable
 * @param perSecond         items / searchableSeconds
 * @param spotChecked       ids looked up one by one afterwards (all found)
 */
public record IngestFigure(String input, String model, int indexSizeBefore, int items, double produceSeconds,
                           double searchableSeconds, double perSecond, int spotChecked) {

    static IngestFigure of(String input, String model, int indexSizeBefore, ProducedRecords produced, long searchableNanos,
                           int spotChecked) {
        double produce = (produced.lastAckNanos() - produced.firstSendNanos()) / 1e9;
        double searchable = (searchableNanos - produced.firstSendNanos()) / 1e9;
        return new IngestFigure(input, model, indexSizeBefore, produced.count(), produce, searchable,
                produced.count() / searchable, spotChecked);
    }
}
