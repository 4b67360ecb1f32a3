package io.clipstream.topology;

import io.clipstream.encoders.ClipModel;
import io.clipstream.encoders.PreparedImage;
import io.clipstream.encoders.text.TokenizedText;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the embedder's tasks share in one instance: a pool sized to the cores that parses, decodes
 * and preprocesses records the moment they are buffered; virtual threads for URL fetches (the
 * fetcher bounds how many are in flight); one {@link EmbeddingWorker} per model tower that joins
 * the tasks' batches into model calls; and the {@link StageTimes}. {@link #serial} has none of
 * these: everything runs on the stream thread when a batch is flushed, one record after another,
 * as the embedder did before (kept for comparison and for deterministic tests).
 *
 * <p>Close it after the Kafka Streams application that uses it and before the model.
 */
public final class EmbedderRuntime implements AutoCloseable {

    /** Preparations queued beyond the pool's threads; the tasks' in-flight limits keep them far below. */
    static final int PREPARE_QUEUE = 16_384;

    private final Executor preparation;
    private final Executor fetching;
    private final ModelStage<ImageInput> images;
    private final ModelStage<TokenizedText> texts;
    private final StageTimes times;
    private final List<AutoCloseable> owned;
    private final int threads;

    private EmbedderRuntime(Executor preparation, Executor fetching, ModelStage<ImageInput> images, ModelStage<TokenizedText> texts,
                            StageTimes times, List<AutoCloseable> owned, int threads) {
        this.preparation = preparation;
        this.fetching = fetching;
        this.images = images;
        this.texts = texts;
        this.times = times;
        this.owned = owned;
        this.threads = threads;
    }

    /** No threads of its own: preparation, fetches and model calls all on the stream thread. */
    public static EmbedderRuntime serial(ClipModel model, StageTimes times) {
        Executor direct = Runnable::run;
        return new EmbedderRuntime(direct, direct, new InlineModel<>(imageModel(model, times)),
                new InlineModel<>(textModel(model, times)), times, List.of(), 0);
    }

    /** @param prepareThreads threads that parse, decode and preprocess (the number of cores is a good start) */
    public static EmbedderRuntime parallel(ClipModel model, int prepareThreads, int maxModelBatch, StageTimes times) {
        if (prepareThreads < 1) {
            throw new IllegalArgumentException("embedder.prepare.threads must be >= 1 for the parallel embedder, got " + prepareThreads);
        }
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(prepareThreads, prepareThreads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(PREPARE_QUEUE), runnable -> {
            Thread thread = new Thread(runnable, "clipstream-prepare-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }, new ThreadPoolExecutor.CallerRunsPolicy());
        pool.allowCoreThreadTimeOut(true);
        ExecutorService fetches = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("clipstream-fetch-", 1).factory());
        EmbeddingWorker<ImageInput> images = EmbeddingWorker.start("clipstream-embed-images", imageModel(model, times), maxModelBatch);
        EmbeddingWorker<TokenizedText> texts = EmbeddingWorker.start("clipstream-embed-texts", textModel(model, times), maxModelBatch);
        // Closed in this order: no new model calls, then no preparations or fetches.
        List<AutoCloseable> owned = List.of(images, texts, pool::shutdownNow, fetches::shutdownNow);
        return new EmbedderRuntime(pool, fetches, images, texts, times, owned, prepareThreads);
    }

    private static java.util.function.Function<List<ImageInput>, float[][]> imageModel(ClipModel model, StageTimes times) {
        return inputs -> times.time(EmbedderStage.IMAGE_MODEL, inputs.size(), () -> {
            List<PreparedImage> prepared = inputs.stream().map(ImageInput::prepared).toList();
            return model.image().embedPrepared(prepared);
        });
    }

    private static java.util.function.Function<List<TokenizedText>, float[][]> textModel(ClipModel model, StageTimes times) {
        return inputs -> times.time(EmbedderStage.TEXT_MODEL, inputs.size(), () -> model.text().embedTokenized(inputs));
    }

    Executor preparation() {
        return preparation;
    }

    Executor fetching() {
        return fetching;
    }

    ModelStage<ImageInput> images() {
        return images;
    }

    ModelStage<TokenizedText> texts() {
        return texts;
    }

    public StageTimes times() {
        return times;
    }

    /** True for {@link #serial}: everything on the stream thread. */
    public boolean isSerial() {
        return threads == 0;
    }

    /** Preparation threads; 0 when serial. */
    public int threads() {
        return threads;
    }

    @Override
    public void close() {
        for (AutoCloseable resource : owned) {
            try {
                resource.close();
            } catch (Exception e) {
                // shutting down: nothing to do about it
            }
        }
    }
}
