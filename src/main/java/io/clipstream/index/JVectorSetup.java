package io.clipstream.index;

/**
 * Chooses JVector's distance code before JVector first loads it. JVector 4 prefers its native (FFM) code when native
 * access is enabled; on our float[]-backed vectors its Panama (jdk.incubator.vector) code measured faster: builds
 * 1.8x and searches 1.3 to 1.5x (docs/BENCHMARKS.md, "ANN index"). A value given with
 * {@code -Djvector.vectorization_provider} is kept.
 */
public final class JVectorSetup {

    static final String PROPERTY = "jvector.vectorization_provider";

    private JVectorSetup() {
    }

    /** Call first thing in main, before anything touches JVector. */
    public static void preferPanama() {
        if (System.getProperty(PROPERTY) == null && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            System.setProperty(PROPERTY, "panama");
        }
    }
}
