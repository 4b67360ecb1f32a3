package io.clipstream.topology;

import io.clipstream.common.EncodingException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddingWorkerTest {

    /** A "model" whose vector for input n is {n}; it fails a whole call that holds a negative input. */
    static final class FakeModel implements Function<List<Integer>, float[][]> {
        final List<List<Integer>> calls = new CopyOnWriteArrayList<>();
        final CountDownLatch firstCallMayEnd = new CountDownLatch(1);
        final CountDownLatch firstCallStarted = new CountDownLatch(1);

        @Override
        public float[][] apply(List<Integer> inputs) {
            calls.add(List.copyOf(inputs));
            firstCallStarted.countDown();
            try {
                firstCallMayEnd.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (inputs.stream().anyMatch(i -> i < 0)) {
                throw new EncodingException(EncodingException.Reason.MODEL_ERROR, "input " + inputs, "negative", "do not");
            }
            float[][] out = new float[inputs.size()][];
            for (int i = 0; i < inputs.size(); i++) {
                out[i] = new float[]{inputs.get(i)};
            }
            return out;
        }
    }

    @Test
    void batchesWaitingTogetherAreJoinedUpToTheLimitAndEachGetsItsSlice() throws Exception {
        FakeModel model = new FakeModel();
        try (EmbeddingWorker<Integer> worker = EmbeddingWorker.start("test-worker", model, 6)) {
            CompletableFuture<ModelResult> first = worker.embed(List.of(1));
            assertTrue(model.firstCallStarted.await(30, TimeUnit.SECONDS));
            CompletableFuture<ModelResult> a = worker.embed(List.of(10, 11));
            CompletableFuture<ModelResult> b = worker.embed(List.of(20, 21, 22));
            CompletableFuture<ModelResult> c = worker.embed(List.of(30, 31));
            model.firstCallMayEnd.countDown();

            assertArrayEquals(new float[]{1}, first.get(30, TimeUnit.SECONDS).vectors()[0]);
            assertArrayEquals(new float[][]{{10}, {11}}, a.get(30, TimeUnit.SECONDS).vectors());
            assertArrayEquals(new float[][]{{20}, {21}, {22}}, b.get(30, TimeUnit.SECONDS).vectors());
            assertArrayEquals(new float[][]{{30}, {31}}, c.get(30, TimeUnit.SECONDS).vectors());
            assertEquals(List.of(List.of(1), List.of(10, 11, 20, 21, 22), List.of(30, 31)), model.calls,
                    "the two batches that fit in 6 inputs went in one call, the third in the next");
        }
    }

    @Test
    void anInputTheModelFailsOnFailsAloneAndTheJoinedBatchesStillGetTheirVectors() throws Exception {
        FakeModel model = new FakeModel();
        try (EmbeddingWorker<Integer> worker = EmbeddingWorker.start("test-worker", model, 32)) {
            CompletableFuture<ModelResult> first = worker.embed(List.of(1));
            assertTrue(model.firstCallStarted.await(30, TimeUnit.SECONDS));
            CompletableFuture<ModelResult> good = worker.embed(List.of(2, 3));
            CompletableFuture<ModelResult> bad = worker.embed(List.of(4, -5, 6));
            model.firstCallMayEnd.countDown();
            first.get(30, TimeUnit.SECONDS);

            ModelResult goodResult = good.get(30, TimeUnit.SECONDS);
            assertArrayEquals(new float[][]{{2}, {3}}, goodResult.vectors());
            ModelResult badResult = bad.get(30, TimeUnit.SECONDS);
            assertArrayEquals(new float[]{4}, badResult.vectors()[0]);
            assertNull(badResult.vectors()[1]);
            assertNotNull(badResult.failures()[1]);
            assertArrayEquals(new float[]{6}, badResult.vectors()[2]);
            assertNull(badResult.failures()[0]);
        }
    }

    @Test
    void aClosedWorkerRefusesNewBatches() {
        FakeModel model = new FakeModel();
        model.firstCallMayEnd.countDown();
        EmbeddingWorker<Integer> worker = EmbeddingWorker.start("test-worker", model, 32);
        worker.close();
        assertTrue(worker.embed(List.of(1)).isCompletedExceptionally());
    }
}
