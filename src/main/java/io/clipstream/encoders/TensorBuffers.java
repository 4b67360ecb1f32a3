package io.clipstream.encoders;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Reusable direct buffers for model inputs. ONNX Runtime's Java API hands a direct buffer to the
 * native side as it is, but copies a heap array into a freshly allocated direct buffer on every
 * call; on the tiny fixture's image tower that allocation and copy took three quarters of a batch
 * of 32 (17-30k images/s against 82-85k with a reused buffer, docs/BENCHMARKS.md).
 *
 * <p>Bounded: at most {@code retained} buffers are kept. Callers beyond that many at once get a
 * fresh buffer, which is dropped on release; a buffer is only reused for a request that fits.
 */
final class TensorBuffers {

    private final ArrayBlockingQueue<ByteBuffer> free;

    TensorBuffers(int retained) {
        if (retained < 1) {
            throw new IllegalArgumentException("retained must be at least 1, was " + retained);
        }
        this.free = new ArrayBlockingQueue<>(retained);
    }

    /** A zero-position, native-order buffer of at least {@code bytes}; give it back with {@link #release}. */
    ByteBuffer acquire(long bytes) {
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a single input tensor of " + bytes + " bytes is over 2 GiB; lower encoder.batch.max");
        }
        ByteBuffer buffer = free.poll();
        if (buffer == null || buffer.capacity() < bytes) {
            // A too-small buffer is dropped rather than kept beside the bigger one: the pool holds
            // the working size of the batches it sees, never more than retained of them.
            buffer = ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder());
        }
        return buffer.clear();
    }

    /** Returns a buffer once every tensor over it is closed. */
    void release(ByteBuffer buffer) {
        free.offer(buffer);
    }

    /** Buffers kept for reuse now; for tests. */
    int retained() {
        return free.size();
    }
}
