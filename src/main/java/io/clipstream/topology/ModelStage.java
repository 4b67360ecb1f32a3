package io.clipstream.topology;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where a batch of prepared inputs becomes vectors: right away on the calling thread
 * ({@link InlineModel}), or queued to the one {@link EmbeddingWorker} that feeds the model.
 *
 * @param <P> the prepared model input
 */
interface ModelStage<P> {

    /**
     * The batch's vectors, one per input in order; an input the model fails on alone is reported in
     * the result, never failing the others. The future fails only when the model cannot run at all.
     */
    CompletableFuture<ModelResult> embed(List<P> inputs);
}
