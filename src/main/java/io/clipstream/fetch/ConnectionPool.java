package io.clipstream.fetch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Idle kept-alive connections by {@link ConnectionKey}, most recently used first, so a catalog feed
 * that fetches many images from one host pays its TCP and TLS handshakes once per connection
 * rather than once per image. Bounded per key and in all; a connection idle longer than the idle
 * timeout is closed instead of reused (servers drop idle connections after some seconds).
 */
final class ConnectionPool implements AutoCloseable {

    private final int maxIdlePerKey;
    private final int maxIdle;
    private final long idleTimeoutNanos;
    private final LongSupplier nanoClock;
    private final Map<ConnectionKey, Deque<HttpConnection>> idle = new HashMap<>();
    private int idleCount;
    private boolean closed;

    ConnectionPool(int maxIdlePerKey, int maxIdle, long idleTimeoutNanos, LongSupplier nanoClock) {
        this.maxIdlePerKey = maxIdlePerKey;
        this.maxIdle = maxIdle;
        this.idleTimeoutNanos = idleTimeoutNanos;
        this.nanoClock = nanoClock;
    }

    /** An idle connection for {@code key}, or null when there is none fresh enough. */
    HttpConnection take(ConnectionKey key) {
        List<HttpConnection> expired = new ArrayList<>();
        HttpConnection found = null;
        synchronized (this) {
            Deque<HttpConnection> connections = idle.get(key);
            long now = nanoClock.getAsLong();
            while (connections != null && !connections.isEmpty() && found == null) {
                HttpConnection candidate = connections.pollFirst();
                idleCount--;
                if (now - candidate.idleSinceNanos() < idleTimeoutNanos) {
                    found = candidate;
                } else {
                    expired.add(candidate);
                }
            }
            if (connections != null && connections.isEmpty()) {
                idle.remove(key);
            }
        }
        expired.forEach(HttpConnection::close);
        return found;
    }

    /** Keeps a connection that finished its exchange cleanly for the next request, or closes it when the pool is full. */
    void release(HttpConnection connection) {
        boolean kept = false;
        List<HttpConnection> expired = new ArrayList<>();
        synchronized (this) {
            if (!closed) {
                long now = nanoClock.getAsLong();
                if (idleCount >= maxIdle) {
                    evictExpired(now, expired);
                }
                Deque<HttpConnection> connections = idle.computeIfAbsent(connection.key(), k -> new ArrayDeque<>());
                if (connections.size() < maxIdlePerKey && idleCount < maxIdle) {
                    connection.idleSince(now);
                    connections.addFirst(connection);
                    idleCount++;
                    kept = true;
                } else if (connections.isEmpty()) {
                    idle.remove(connection.key());
                }
            }
        }
        expired.forEach(HttpConnection::close);
        if (!kept) {
            connection.close();
        }
    }

    private void evictExpired(long now, List<HttpConnection> expired) {
        for (Iterator<Deque<HttpConnection>> keys = idle.values().iterator(); keys.hasNext(); ) {
            Deque<HttpConnection> connections = keys.next();
            connections.removeIf(c -> {
                boolean old = now - c.idleSinceNanos() >= idleTimeoutNanos;
                if (old) {
                    expired.add(c);
                }
                return old;
            });
            if (connections.isEmpty()) {
                keys.remove();
            }
        }
        idleCount -= expired.size();
    }

    synchronized int idleCount() {
        return idleCount;
    }

    @Override
    public void close() {
        List<HttpConnection> all = new ArrayList<>();
        synchronized (this) {
            closed = true;
            idle.values().forEach(all::addAll);
            idle.clear();
            idleCount = 0;
        }
        all.forEach(HttpConnection::close);
    }
}
