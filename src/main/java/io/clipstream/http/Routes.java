package io.clipstream.http;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Which handler answers which path: the longest registered prefix of the request path wins, as
 * the JDK server's contexts did before (so "/" catches what nothing else does).
 */
public final class Routes {

    /** Answers one exchange. */
    @FunctionalInterface
    public interface Handler {
        void handle(Exchange exchange) throws IOException;
    }

    // Longest first, so the first prefix that matches is the most specific one.
    private final Map<String, Handler> byPrefix = new ConcurrentSkipListMap<>((a, b) ->
            a.length() != b.length() ? Integer.compare(b.length(), a.length()) : a.compareTo(b));

    /** Registers the handler of every path that starts with {@code prefix}. */
    public void createContext(String prefix, Handler handler) {
        if (byPrefix.putIfAbsent(prefix, handler) != null) {
            throw new IllegalArgumentException("a handler for " + prefix + " is registered already");
        }
    }

    /** The handler of the longest registered prefix of {@code path}. */
    public Optional<Handler> find(String path) {
        for (Map.Entry<String, Handler> entry : byPrefix.entrySet()) {
            if (path.startsWith(entry.getKey())) {
                return Optional.of(entry.getValue());
            }
        }
        return Optional.empty();
    }
}
