package io.clipstream.schemaregistry;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A thread-safe map that forgets its least recently used entry once it holds {@code capacity}
 * entries, so that a stream of distinct schema ids or subjects cannot grow the heap without end.
 * Values are computed outside the lock by the caller: two threads that miss at once both fetch, and
 * the second put wins, which is harmless for the immutable values cached here.
 */
public final class LruCache<K, V> {

    private final int capacity;
    private final LinkedHashMap<K, V> entries;

    public LruCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("cache capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > LruCache.this.capacity;
            }
        };
    }

    /** The cached value, or null; a hit makes the entry the most recently used. */
    public synchronized V get(K key) {
        return entries.get(key);
    }

    public synchronized void put(K key, V value) {
        entries.put(key, value);
    }

    public synchronized int size() {
        return entries.size();
    }

    public int capacity() {
        return capacity;
    }
}
