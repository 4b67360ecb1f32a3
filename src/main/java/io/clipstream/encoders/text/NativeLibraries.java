package io.clipstream.encoders.text;

import java.nio.file.Path;

/**
 * DJL's tokenizers library extracts its native code to a cache directory and, unless told not
 * to, reports usage over the network. Both are settled here, before the first tokenizer loads:
 * no tracking, and the cache under {@code .clipstream-cache/} of the working directory unless the
 * caller chose another place (DJL_CACHE_DIR as environment variable or system property).
 */
final class NativeLibraries {

    private NativeLibraries() {
    }

    static synchronized void configureDjl() {
        if (System.getProperty("OPT_OUT_TRACKING") == null) {
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
        if (System.getProperty("DJL_CACHE_DIR") == null && System.getenv("DJL_CACHE_DIR") == null) {
            String cache = Path.of(".clipstream-cache", "djl").toAbsolutePath().toString();
            System.setProperty("DJL_CACHE_DIR", cache);
            if (System.getProperty("ENGINE_CACHE_DIR") == null && System.getenv("ENGINE_CACHE_DIR") == null) {
                System.setProperty("ENGINE_CACHE_DIR", cache);
            }
        }
    }
}
