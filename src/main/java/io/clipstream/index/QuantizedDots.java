package io.clipstream.index;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Picks the SIMD {@link QuantizedDot} when jdk.incubator.vector is on the module graph, else the scalar one. */
final class QuantizedDots {

    private static final Logger LOG = LoggerFactory.getLogger(QuantizedDots.class);

    static final QuantizedDot BEST = pick();

    private QuantizedDots() {
    }

    private static QuantizedDot pick() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            try {
                // Loaded by name so that a JVM without the module never links the class.
                return (QuantizedDot) Class.forName("io.clipstream.index.SimdQuantizedDot").getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                LOG.warn("the SIMD int8 kernel failed to load ({}); scoring compressed vectors with scalar code", e.toString());
            }
        }
        return new ScalarQuantizedDot();
    }
}
