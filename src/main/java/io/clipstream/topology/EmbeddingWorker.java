package io.clipstream.topology;

import io.clipstream.common.EncodingException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;

/**
 * The one thread that calls a model tower for every embedder task and stream thread of the
 * instance: batches wait in a queue and, when several are waiting, are joined up to
 * {@code maxBatch} inputs into one call, so that partitions that each fill small batches still give
 * an accelerator large ones. Each batch gets its own slice of the result. One caller per session
 * also keeps CPU threads from fighting over the cores ONNX Runtime already spreads a call over.
 */
final class EmbeddingWorker<P> implements ModelStage<P>, AutoCloseable {

    /** Batches waiting for the model; each embedder task has at most embedder.batches.in.flight of them queued. */
    static final int QUEUE_CAPACITY = 1024;

    private record Request<P>(List<P> inputs, CompletableFuture<ModelResult> result) {
    }

    private final Function<List<P>, float[][]> model;
    private final int maxBatch;
    private final BlockingQueue<Request<P>> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
    private final Thread thread;
    private volatile boolean closed;

    private EmbeddingWorker(String name, Function<List<P>, float[][]> model, int maxBatch) {
        this.model = model;
        this.maxBatch = maxBatch;
        this.thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::loop);
    }

    /** @param maxBatch most inputs joined into one call (encoder.batch.max) */
    static <P> EmbeddingWorker<P> start(String name, Function<List<P>, float[][]> model, int maxBatch) {
        EmbeddingWorker<P> worker = new EmbeddingWorker<>(name, model, maxBatch);
        worker.thread.start();
        return worker;
    }

    @Override
    public CompletableFuture<ModelResult> embed(List<P> inputs) {
        if (inputs.isEmpty()) {
            return CompletableFuture.completedFuture(ModelResult.allOf(new float[0][]));
        }
        Request<P> request = new Request<>(List.copyOf(inputs), new CompletableFuture<>());
        if (closed || !queue.offer(request)) {
            return CompletableFuture.failedFuture(new IllegalStateException(closed ? "the embedding worker is closed"
                    : "the model queue is full (" + QUEUE_CAPACITY + " batches waiting)"));
        }
        if (closed) {
            // Closed while offering: the worker may never take it.
            request.result().completeExceptionally(new IllegalStateException("the embedding worker is closed"));
        }
        return request.result();
    }

    int queued() {
        return queue.size();
    }

    private void loop() {
        List<Request<P>> group = new ArrayList<>();
        while (!closed) {
            try {
                group.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            int items = group.get(0).inputs().size();
            // Only this thread takes from the queue, so the head seen by peek is what poll returns.
            for (Request<P> next = queue.peek(); next != null && items + next.inputs().size() <= maxBatch; next = queue.peek()) {
                group.add(queue.poll());
                items += next.inputs().size();
            }
            run(group);
            group.clear();
        }
        for (Request<P> left = queue.poll(); left != null; left = queue.poll()) {
            left.result().completeExceptionally(new IllegalStateException("the embedding worker is closed"));
        }
    }

    private void run(List<Request<P>> group) {
        try {
            if (group.size() == 1) {
                group.get(0).result().complete(ModelCall.isolating(group.get(0).inputs(), model));
                return;
            }
            List<P> all = new ArrayList<>();
            group.forEach(request -> all.addAll(request.inputs()));
            float[][] vectors;
            try {
                vectors = model.apply(all);
            } catch (EncodingException e) {
                // Some batch holds an input the model fails on: each batch on its own, isolating it there.
                group.forEach(request -> request.result().complete(ModelCall.isolating(request.inputs(), model)));
                return;
            }
            int offset = 0;
            for (Request<P> request : group) {
                float[][] slice = new float[request.inputs().size()][];
                System.arraycopy(vectors, offset, slice, 0, slice.length);
                offset += slice.length;
                request.result().complete(ModelResult.allOf(slice));
            }
        } catch (RuntimeException | Error e) {
            // The stream threads waiting for these batches rethrow it; the worker stays up for the next ones.
            group.forEach(request -> request.result().completeExceptionally(e));
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
