package io.clipstream.tools.bench;

/**
 * clipstream stopped and started again on its state directory, holding {@code indexSize} vectors.
 *
 * @param stopSeconds       closing the instance (stores write their last manifests)
 * @param readySeconds      starting it again until {@code /health/ready} answered 200
 * @param probes            "more like this" searches by item id asked before and after
 * @param identicalAnswers  how many of them came back with the same hits in the same order
 * @param recallBefore      their recall@10 against the brute force over every vector, before the restart
 * @param recallAfter       the same after it
 */
public record RestartFigure(int indexSize, double stopSeconds, double readySeconds, int probes, int identicalAnswers,
                            double recallBefore, double recallAfter) {
}
