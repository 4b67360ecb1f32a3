package io.clipstream.topology;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** Calls the model on the thread that asks, as the serial embedder did: the stream thread waits for it. */
final class InlineModel<P> implements ModelStage<P> {

    private final Function<List<P>, float[][]> model;

    InlineModel(Function<List<P>, float[][]> model) {
        this.model = model;
    }

    @Override
    public CompletableFuture<ModelResult> embed(List<P> inputs) {
        try {
            return CompletableFuture.completedFuture(ModelCall.isolating(inputs, model));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
