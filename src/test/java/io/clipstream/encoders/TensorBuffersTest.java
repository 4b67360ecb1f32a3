package io.clipstream.encoders;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TensorBuffersTest {

    @Test
    void aReleasedBufferIsReusedClearedAndInNativeOrder() {
        TensorBuffers buffers = new TensorBuffers(2);
        ByteBuffer first = buffers.acquire(64);
        assertTrue(first.isDirect());
        assertEquals(ByteOrder.nativeOrder(), first.order());
        first.putLong(7).position(40);
        buffers.release(first);

        ByteBuffer again = buffers.acquire(32);
        assertSame(first, again);
        assertEquals(0, again.position());
        assertEquals(again.capacity(), again.limit());
    }

    @Test
    void aBufferTooSmallForTheRequestIsReplaced() {
        TensorBuffers buffers = new TensorBuffers(1);
        ByteBuffer small = buffers.acquire(16);
        buffers.release(small);
        ByteBuffer big = buffers.acquire(1024);
        assertNotSame(small, big);
        assertTrue(big.capacity() >= 1024);
        assertEquals(0, buffers.retained());
    }

    @Test
    void keepsNoMoreThanItsBound() {
        TensorBuffers buffers = new TensorBuffers(2);
        ByteBuffer a = buffers.acquire(8);
        ByteBuffer b = buffers.acquire(8);
        ByteBuffer c = buffers.acquire(8);
        assertNotSame(a, b);
        assertNotSame(b, c);
        buffers.release(a);
        buffers.release(b);
        buffers.release(c);
        assertEquals(2, buffers.retained());
    }

    @Test
    void refusesATensorOverTwoGibibytesNamingTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TensorBuffers(1).acquire(3L << 30));
        assertTrue(e.getMessage().contains("encoder.batch.max"), e.getMessage());
    }
}
