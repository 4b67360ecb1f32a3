package io.clipstream.tools.bench;

import java.util.OptionalDouble;

/**
 * One line of the side-by-side table, all in items per second.
 *
 * @param torch torch's model-only figure on the same inputs; empty when torch was not run
 */
public record EmbedBenchRow(String model, Modality modality, int batch, double modelOnly, double endToEnd,
                            OptionalDouble torch) {

    /** clipstream's model-only throughput over torch's; above 1 means clipstream is faster. */
    public OptionalDouble ratio() {
        return torch.isPresent() ? OptionalDouble.of(modelOnly / torch.getAsDouble()) : OptionalDouble.empty();
    }
}
